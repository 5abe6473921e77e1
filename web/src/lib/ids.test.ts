import { describe, expect, it } from 'vitest';
import { parseDocName, groupDocName } from '@muster/protocol';
import { newId } from './ids.ts';

describe('newId', () => {
  it('makes ids core and the relay accept', () => {
    const id = newId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/); // core isId
    expect(parseDocName(groupDocName(id))).toEqual({ kind: 'group', id });
  });

  it('falls back to getRandomValues outside secure contexts', () => {
    const c = {
      randomUUID: () => {
        throw new Error('not secure');
      },
      getRandomValues: (a: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(a),
    };
    const id = newId(c as unknown as Crypto);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId({ getRandomValues: c.getRandomValues } as unknown as Crypto)).not.toBe(id);
  });
});
