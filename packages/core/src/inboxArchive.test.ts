import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addInboxItems, inboxItemId, inboxItems, markRead } from './inbox.ts';
import type { InboxItem, InboxKind } from './inbox.ts';
import { freshInboxState, inboxGroupState, inboxItemSettled, planInboxArchive } from './inboxArchive.ts';
import type { InboxGroupState } from './inboxArchive.ts';

const DAY = 24 * 3_600_000;
const NOW = 100 * DAY;
const POLICY = { now: NOW, keepMs: DAY, staleMs: 30 * DAY };

function item(kind: InboxKind, groupId: string, refId: string, at: number): InboxItem {
  return { id: inboxItemId(kind, groupId, refId), kind, groupId, groupTitle: `t ${groupId}`, refId, text: 'x', at };
}

const open = (...unsigned: string[]): InboxGroupState => ({ closedAt: null, unsigned: new Set(unsigned) });
const closed: InboxGroupState = { closedAt: NOW - 2 * DAY, unsigned: new Set() };

describe('inbox archive', () => {
  it('HIST-8: settled means a closed group, a signed invitation (or its escalation), or a withdrawn escalation', () => {
    expect(inboxItemSettled(item('clue', 'g', 'c', 0), closed)).toBe(true);
    expect(inboxItemSettled(item('clue', 'g', 'c', 0), open())).toBe(false);
    expect(inboxItemSettled(item('invitation', 'g', 'i1', 0), open('i1'))).toBe(false);
    expect(inboxItemSettled(item('invitation', 'g', 'i1', 0), open('i2'))).toBe(true);
    expect(inboxItemSettled(item('escalation', 'g', 'i1', 0), open('i1'))).toBe(false);
    expect(inboxItemSettled(item('escalation', 'g', 'i1', 0), open())).toBe(true);
    expect(inboxItemSettled(item('approval', 'g', 'a', 0), open())).toBe(false);
    expect(inboxItemSettled(item('withdrawn', 'g', 'i1', 0), undefined)).toBe(true);
    // a group the index does not know settles nothing
    expect(inboxItemSettled(item('invitation', 'g', 'i1', 0), undefined)).toBe(false);
    expect(
      inboxGroupState({ closedAt: null, invited: 2, signed: 1, closureDeadline: null, open: [] })?.unsigned.size,
    ).toBe(0);
    expect(inboxGroupState(undefined)).toBeNull();
  });

  it('HIST-8: settled items older than the keep time leave; open work, recent and unknown items stay; read items of open groups leave once stale', () => {
    const doc = new Y.Doc();
    const old = NOW - 3 * DAY;
    addInboxItems(
      doc,
      [
        item('invitation', 'g1', 'i1', old), // closed group: leaves
        item('clue', 'g1', 'c1', old), // closed group: leaves
        item('invitation', 'g2', 'i2', old), // still unsigned: stays
        item('escalation', 'g2', 'i2', old), // its invitation unsigned: stays
        item('invitation', 'g2', 'i3', old), // signed: leaves
        item('invitation', 'g3', 'i4', NOW - DAY / 2), // closed but recent: stays
        item('instruction', 'g4', 'n1', old), // unknown group: stays
        item('clue', 'g2', 'c2', NOW - 40 * DAY), // open group, read, stale: leaves
        item('clue', 'g2', 'c3', NOW - 40 * DAY), // open group, unread: stays
      ],
      'server',
    );
    markRead(doc, [inboxItemId('clue', 'g2', 'c2'), inboxItemId('invitation', 'g1', 'i1')], 77);
    const groups = new Map([
      ['g1', closed],
      ['g2', open('i2')],
      ['g3', closed],
    ]);
    const plan = planInboxArchive(doc, groups, POLICY);
    expect(plan.archive.map((e) => e.item.id).sort()).toEqual(
      ['invitation.g1.i1', 'clue.g1.c1', 'invitation.g2.i3', 'clue.g2.c2'].sort(),
    );
    expect(plan.archive.find((e) => e.item.id === 'invitation.g1.i1')).toMatchObject({ read: true, readAt: 77 });
    expect(plan.archive.find((e) => e.item.id === 'clue.g1.c1')).toMatchObject({ read: false, readAt: null });
    expect(plan.keep.map((e) => e.item.id).sort()).toEqual(
      ['invitation.g2.i2', 'escalation.g2.i2', 'invitation.g3.i4', 'instruction.g4.n1', 'clue.g2.c3'].sort(),
    );
  });

  it('HIST-8: the fresh live inbox holds only the kept items with their read markers, and is smaller than the history', () => {
    const doc = new Y.Doc();
    const many = Array.from({ length: 500 }, (_, i) => item('invitation', `g${i}`, 'i', NOW - 3 * DAY));
    addInboxItems(doc, [...many, item('invitation', 'live', 'i', NOW)], 'server');
    markRead(doc, ['invitation.live.i', 'invitation.g1.i'], 5);
    const plan = planInboxArchive(doc, new Map(many.map((m) => [m.groupId, closed])), POLICY);
    expect(plan.archive).toHaveLength(500);
    const state = freshInboxState(doc, plan.keep);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, state);
    expect(inboxItems(fresh)).toEqual([{ item: item('invitation', 'live', 'i', NOW), read: true }]);
    expect(fresh.getMap('reads').size).toBe(1);
    expect(state.byteLength * 50).toBeLessThan(Y.encodeStateAsUpdate(doc).byteLength);
  });
});
