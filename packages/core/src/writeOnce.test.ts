import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { recordClosure } from './closure.ts';
import { CommandError } from './errors.ts';
import { rootMap } from './schema.ts';
import { beginWrite, putOnce } from './writeOnce.ts';

const code = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof CommandError ? e.code : 'other';
  }
};

describe('the write-once command shape', () => {
  it('CLOSE-5: refuses a closed group and a malformed id before anything is written', () => {
    const doc = new Y.Doc();
    expect(code(() => beginWrite(doc, 'bad id!', 'entry'))).toBe('bad-id');
    expect(code(() => beginWrite(doc, 'e1', 'entry'))).toBeNull();
    const by = { personId: 'p1', name: 'P (fictional)' };
    recordClosure(doc, { id: 'c1', summary: 'done', by, postId: null, deviceTime: 1 }, 2, 'server');
    expect(code(() => beginWrite(doc, 'e1', 'entry'))).toBe('closed');
  });

  it('sets a checked record under its id with the attested time, refusing a used id and an invalid record', () => {
    const doc = new Y.Doc();
    const attested = { at: 5, anchorId: 'a1' } as never;
    const r = putOnce(doc, 'things', { id: 'x1', n: 1 }, { unique: 'used', attested });
    expect(rootMap(doc, 'things').get('x1')).toEqual({ id: 'x1', n: 1, attested });
    expect(r).toEqual({ id: 'x1', n: 1, attested });
    expect(code(() => putOnce(doc, 'things', { id: 'x1' }, { unique: 'used' }))).toBe('duplicate-id');
    const check = { parse: () => null, invalid: ['bad-task', 'no'] as const };
    expect(code(() => putOnce(doc, 'things', { id: 'x2' }, { check }))).toBe('bad-task');
    expect(rootMap(doc, 'things').has('x2')).toBe(false);
  });
});
