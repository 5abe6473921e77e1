import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { parseDirectoryJson } from '../directory/directoryFile.ts';
import { openSqliteStore } from '../store/sqliteStore.ts';
import { cursorOf, groupListPage, listKeysOf, pageLimit, parseCursor, scopeOf } from './groupList.ts';

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

describe('HIST-9 removals in the list API', () => {
  it('HIST-9: a delta names the groups that left the desk’s list (removed) beside the rows, on a real SQLite file', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-removed-'));
    const store = openSqliteStore(tmp);
    try {
      const row = (id: string) => ({
        id,
        title: id,
        kind: 'incident' as const,
        initiatorName: 'x',
        createdAt: 1,
        updatedAt: 1,
        entryCount: 0,
      });
      for (const id of ['g1', 'g2']) {
        await store.appendUpdates([{ docName: `group:${id}`, updates: [new Uint8Array([0, 0])], group: row(id) }]);
        await store.addGroupMembers([{ groupId: id, kind: 'post', ref: 'p-e-mgmt', at: 1 }]);
      }
      const desk = { sub: 'demo005', roles: ['officer'] };
      const q = (since?: string) => new URLSearchParams(since ? { since } : {});
      const first = await groupListPage(store, desk, dir, q(), 1);
      expect(first.groups.map((g) => g.id)).toEqual(['g1', 'g2']);
      expect(first.removed).toBeUndefined();
      await store.removeGroupMembers([{ groupId: 'g1', kind: 'post', ref: 'p-e-mgmt' }]);
      const delta = await groupListPage(store, desk, dir, q(first.cursor), 2);
      expect(delta.groups).toEqual([]);
      expect(delta.removed).toEqual(['g1']);
      expect(delta.cursor).not.toBe(first.cursor);
      // the next delta holds nothing; a list from the start names only g2
      expect(await groupListPage(store, desk, dir, q(delta.cursor), 3)).toMatchObject({ groups: [] });
      expect((await groupListPage(store, desk, dir, q(), 4)).groups.map((g) => g.id)).toEqual(['g2']);
    } finally {
      await store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
