import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { defineRoots, invitePost, signOff, startGroup } from '@muster/core';
import { matchesFilter, rowStatus, statusFromDoc } from './groupStatus.ts';

const by = { personId: 'p1', name: 'A' };
const post = (id: string) => ({ id, name: id, unitId: 'u', unitName: 'U', kind: 'support' as const });

describe('UX-4 group status on the list row', () => {
  it('UX-4: counts signed and overdue invitations from the stamped deadlines; unknown rows are open', () => {
    const doc = new Y.Doc();
    defineRoots(doc);
    startGroup(doc, { id: 'g1', kind: 'incident', title: 'T', unitId: 'u', initiator: by, deviceTime: 1 });
    for (const id of ['a', 'b', 'c']) invitePost(doc, { id, post: post(id), invitedBy: by, deviceTime: 1 });
    signOff(doc, { id: 's1', invitationId: 'a', by, deviceTime: 2 });
    const facts = statusFromDoc(doc);
    // not registered by the server: no deadlines yet, nothing overdue
    expect(facts).toMatchObject({ closedAt: null, invited: 3, signed: 1, openDeadlines: [] });
    const withDeadlines = { ...facts, openDeadlines: [1_000, 5_000], closureDeadline: 9_000 };
    expect(rowStatus(withDeadlines, 2_000)).toMatchObject({ overdue: 1, closed: false, closureOverdue: false });
    expect(rowStatus(withDeadlines, 10_000)).toMatchObject({ overdue: 2, closureOverdue: true });
    const closed = rowStatus({ ...withDeadlines, closedAt: 8_000 }, 10_000)!;
    expect(closed).toMatchObject({ closed: true, overdue: 0, closureOverdue: false });

    const open = rowStatus(withDeadlines, 2_000);
    expect(matchesFilter(open, 'open')).toBe(true);
    expect(matchesFilter(open, 'overdue')).toBe(true);
    expect(matchesFilter(open, 'closed')).toBe(false);
    expect(matchesFilter(closed, 'closed')).toBe(true);
    expect(matchesFilter(closed, 'open')).toBe(false);
    expect(matchesFilter(closed, 'overdue')).toBe(false);
    expect(matchesFilter(null, 'open')).toBe(true);
    expect(matchesFilter(null, 'overdue')).toBe(false);
    expect(matchesFilter(null, 'all')).toBe(true);
  });
});
