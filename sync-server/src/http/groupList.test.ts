import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { parseDirectoryJson } from '../directory/directoryFile.ts';
import { cursorOf, listKeysOf, pageLimit, parseCursor, scopeOf } from './groupList.ts';

const parsed = parseDirectoryJson(
  fs.readFileSync(new URL('../../../packages/core/demo/city.json', import.meta.url), 'utf8'),
  'city.json',
);
if (!parsed.ok) throw new Error('demo city does not parse');
const dir = new Directory(parsed.directory);

describe('HIST-1 list keys and cursors', () => {
  it('HIST-1: a desk lists under itself and its duty post; a leader also under every unit its post oversees', () => {
    expect(listKeysOf({ sub: 'demo005', roles: ['officer'] }, dir)).toEqual(['p:demo005', 'post:p-e-mgmt']);
    const leader = listKeysOf({ sub: 'demo007', roles: ['leader'] }, dir)!;
    expect(leader).toContain('post:p-e-leader');
    expect(leader).toContain('u:sb-e');
    expect(leader).toContain('u:st-e1');
    expect(leader).not.toContain('u:sb-w');
    expect(listKeysOf({ sub: 'x', roles: ['auditor'] }, dir)).toBeNull();
  });

  it('HIST-1: a cursor of another scope, or a malformed one, starts again from the beginning', () => {
    const scope = scopeOf(['p:a', 'post:b']);
    expect(scopeOf(['p:a', 'post:b'])).toBe(scope);
    expect(scopeOf(['p:a'])).not.toBe(scope);
    expect(parseCursor(cursorOf(42, scope), scope)).toEqual({ since: 42, reset: false });
    expect(parseCursor(null, scope)).toEqual({ since: 0, reset: false });
    expect(parseCursor(cursorOf(42, 'all'), scope)).toEqual({ since: 0, reset: true });
    expect(parseCursor('42;drop', scope)).toEqual({ since: 0, reset: true });
    expect(pageLimit(null)).toBe(200);
    expect(pageLimit('10')).toBe(10);
    expect(pageLimit('100000')).toBe(500);
    expect(pageLimit('-1')).toBe(200);
  });
});
