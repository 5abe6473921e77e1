import { describe, expect, it } from 'vitest';
import type { InboxEntry, InvitationView } from '@muster/core';
import { boardItems, groupsToLoad, settledKeys, urgencyOf } from './board.ts';

const MIN = 60_000;
const post = (id: string, kind: 'management' | 'support' | 'leader' = 'support') => ({
  id,
  name: `post ${id}`,
  unitId: 'u',
  unitName: 'unit',
  kind,
});
function view(id: string, postId: string, remainingMs: number | null, signed = false): InvitationView {
  return {
    invitation: { id, post: post(postId), invitedBy: { personId: 'a', name: 'A' }, deviceTime: 1 },
    status: signed ? 'signed-on-time' : remainingMs === null ? 'pending' : remainingMs < 0 ? 'overdue' : 'waiting',
    registeredAt: remainingMs === null ? null : 0,
    deadlineMinutes: 10,
    deadline: remainingMs === null ? null : 1000 + remainingMs,
    signOff: signed
      ? {
          id: 's',
          deviceTime: 1,
          serverTime: 2,
          attestedAt: null,
          record: { id: 's', invitationId: id, postId, by: { personId: 'b', name: 'B' }, deviceTime: 1 },
        }
      : null,
    remainingMs: signed ? null : remainingMs,
    basis: 'stamp',
    judgedAt: signed ? 2 : null,
  };
}
const inboxInv = (groupId: string, refId: string, postId: string, at: number): InboxEntry => ({
  read: false,
  item: {
    id: `invitation.${groupId}.${refId}`,
    kind: 'invitation',
    groupId,
    groupTitle: 'G',
    refId,
    text: 'x',
    at,
    postId,
  },
});

describe('desk board (SLA-4, INV-1)', () => {
  it('classifies urgency: overdue, due soon (≤ 3 min), waiting, not registered', () => {
    expect(urgencyOf(-1)).toBe('overdue');
    expect(urgencyOf(0)).toBe('soon');
    expect(urgencyOf(3 * MIN)).toBe('soon');
    expect(urgencyOf(3 * MIN + 1)).toBe('waiting');
    expect(urgencyOf(null)).toBe('pending');
  });

  it('lists only unsigned invitations to my posts in open groups, most urgent first', () => {
    const items = boardItems({
      myPostIds: ['p1', 'p2'],
      groups: [
        {
          id: 'g1',
          title: 'G1',
          closed: false,
          invitations: [view('i1', 'p1', 5 * MIN), view('i2', 'p2', -2 * MIN), view('i3', 'p9', -9 * MIN)],
        },
        { id: 'g2', title: 'G2', closed: false, invitations: [view('i4', 'p1', null), view('i5', 'p2', MIN)] },
        { id: 'g3', title: 'G3', closed: false, invitations: [view('i6', 'p1', -5 * MIN, true)] },
        { id: 'g4', title: 'G4', closed: true, invitations: [view('i7', 'p1', -5 * MIN)] },
      ],
      inbox: [],
      post: () => null,
      now: 0,
    });
    expect(items.map((i) => [i.invitationId, i.urgency])).toEqual([
      ['i2', 'overdue'],
      ['i5', 'soon'],
      ['i1', 'waiting'],
      ['i4', 'pending'],
    ]);
  });

  it('adds inbox invitations of groups not loaded, with the deadline of the post kind', () => {
    const items = boardItems({
      myPostIds: ['p1'],
      groups: [{ id: 'g1', title: 'G1', closed: false, invitations: [view('i1', 'p1', 20 * MIN)] }],
      inbox: [inboxInv('g1', 'i1', 'p1', 0), inboxInv('g2', 'i9', 'p1', 0), inboxInv('g3', 'i8', 'p7', 0)],
      post: () => ({ kind: 'management', name: 'Mgmt', unitName: 'U' }),
      now: 4 * MIN,
    });
    expect(items.map((i) => [i.key, i.source, i.remainingMs])).toEqual([
      ['g2/i9', 'inbox', 6 * MIN],
      ['g1/i1', 'group', 20 * MIN],
    ]);
    expect(groupsToLoad([inboxInv('g2', 'a', 'p1', 0), inboxInv('g1', 'b', 'p1', 0)], ['p1'])).toEqual(['g1', 'g2']);
  });

  it('forgets invitations seen signed or closed: not loaded again, not listed from the inbox', () => {
    const groups = [
      { id: 'g1', title: 'G1', closed: false, invitations: [view('i1', 'p1', 5 * MIN, true), view('i2', 'p1', MIN)] },
      { id: 'g2', title: 'G2', closed: true, invitations: [view('i3', 'p1', MIN)] },
    ];
    const settled = new Set(settledKeys(groups));
    expect([...settled]).toEqual(['g1/i1', 'g2/i3']);
    const inbox = [inboxInv('g1', 'i1', 'p1', 0), inboxInv('g2', 'i3', 'p1', 0), inboxInv('g3', 'i4', 'p1', 0)];
    expect(groupsToLoad(inbox, ['p1'], settled)).toEqual(['g3']);
    const items = boardItems({ myPostIds: ['p1'], groups: [], inbox, post: () => null, now: 0, settled });
    expect(items.map((i) => i.key)).toEqual(['g3/i4']);
  });
});

describe('UX-10: a board row says what the desk needs', () => {
  it('carries the group facts and the time the invitation was registered; the inbox item time when only it knows', () => {
    const facts = { incidentNo: 'J2030-0001', address: '演示路 1 号', initiator: '韩演示15', unitId: 'st-e1' };
    const items = boardItems({
      myPostIds: ['p1'],
      groups: [{ id: 'g1', title: 'G1', closed: false, invitations: [view('i1', 'p1', 5 * MIN)], facts }],
      inbox: [inboxInv('g2', 'i9', 'p1', 7)],
      post: () => ({ kind: 'management', name: 'Mgmt', unitName: 'U' }),
      now: 0,
    });
    expect(items.map((i) => [i.key, i.since, i.facts])).toEqual([
      ['g1/i1', 0, facts],
      ['g2/i9', 7, null],
    ]);
  });
  it('HIST-3: builds rows from the index, opens only groups with open invitations to my posts, never closed ones', () => {
    const now = 10 * MIN;
    const index = [
      { id: 'open', title: 'O', closedAt: null, open: [{ invitationId: 'a', postId: 'p1', deadline: now - MIN }] },
      { id: 'other', title: 'X', closedAt: null, open: [{ invitationId: 'b', postId: 'p2', deadline: now }] },
      { id: 'closed', title: 'C', closedAt: 5, open: [{ invitationId: 'c', postId: 'p1', deadline: now }] },
      { id: 'signed', title: 'S', closedAt: null, open: [] },
    ];
    // the inbox remembers every invitation ever sent to the post, and one group the index does not know yet
    const inbox = ['open', 'closed', 'signed', 'fresh'].map((g) => inboxInv(g, g === 'open' ? 'a' : 'x', 'p1', 0));
    const items = boardItems({ myPostIds: ['p1'], groups: [], index, inbox, post: () => null, now });
    expect(items.map((i) => [i.groupId, i.source, i.urgency])).toEqual([
      ['open', 'index', 'overdue'],
      ['fresh', 'inbox', 'waiting'],
    ]);
    expect(items[0]!.deadline).toBe(now - MIN);
    expect(groupsToLoad(inbox, ['p1'], new Set(), index, true)).toEqual(['fresh', 'open']);
    // before the index synced this session, only what it already lists is opened
    expect(groupsToLoad(inbox, ['p1'], new Set(), index, false)).toEqual(['open']);
  });
});
