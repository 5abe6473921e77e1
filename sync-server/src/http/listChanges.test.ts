import { describe, expect, it } from 'vitest';
import { emptyMembership } from '../access/access.ts';
import { listKeyOf } from '../store/store.ts';
import { keysOfMembership } from './listChanges.ts';

describe('HIST-1 list change keys', () => {
  it('HIST-1: a group is pushed under the same keys the list index lists it under', () => {
    const m = emptyMembership();
    m.initiator = 'a';
    m.unitId = 'u1';
    m.persons.add('b');
    m.posts.add('p1');
    m.addressedPosts.add('p2');
    const fromRows = [
      listKeyOf({ kind: 'initiator', ref: 'a' }),
      listKeyOf({ kind: 'unit', ref: 'u1' }),
      listKeyOf({ kind: 'person', ref: 'b' }),
      listKeyOf({ kind: 'post', ref: 'p1' }),
      listKeyOf({ kind: 'addressed-post', ref: 'p2' }),
    ];
    expect([...keysOfMembership(m)].sort()).toEqual(fromRows.sort());
  });
});
