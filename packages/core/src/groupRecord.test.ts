import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_APPROVAL_TYPES, requestApproval } from './approvals.ts';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { groupRecord } from './groupRecord.ts';
import { giveInstruction } from './instructions.ts';
import { signOff } from './invitations.ts';
import { MINUTE } from './sla.ts';
import { addTask } from './tasks.ts';

describe('group record', () => {
  it('REC-1: the record holds the timeline with both times, invitations with verdicts, events, instructions, tasks and approvals', () => {
    expect(groupRecord(new Y.Doc(), T0)).toBeNull();
    const { doc, dir } = demoGroup();
    signOff(doc, { id: 's0', invitationId: 'inv-0', by: actorOf(dir, 'demo005'), deviceTime: T0 + MINUTE });
    stampAll(doc, T0 + 2 * MINUTE);
    signOff(doc, { id: 's2', invitationId: 'inv-2', by: actorOf(dir, 'demo010'), deviceTime: T0 + 3 * MINUTE });
    giveInstruction(doc, {
      id: 'i1',
      text: '全力追查',
      to: [{ kind: 'post', id: 'p-e-cid', name: 'n' }],
      author: actorOf(dir, 'demo007'),
      deviceTime: T0 + 4 * MINUTE,
    });
    addTask(doc, {
      id: 't1',
      title: '视频',
      assignee: { kind: 'post', id: 'p-e-cid', name: 'n' },
      author: actorOf(dir, 'demo005'),
      deviceTime: T0 + 5 * MINUTE,
    });
    requestApproval(doc, {
      id: 'a1',
      type: DEFAULT_APPROVAL_TYPES[0]!,
      values: { location: 'x', from: '2026-01-01', to: '2026-01-01', reason: 'y' },
      author: actorOf(dir, 'demo005'),
      deviceTime: T0 + 6 * MINUTE,
    });
    stampAll(doc, T0 + 40 * MINUTE);
    recordEscalations(doc, overdueToEscalate(doc, dir, T0 + 40 * MINUTE), T0 + 40 * MINUTE, SERVER);
    const r = groupRecord(doc, T0 + 41 * MINUTE)!;
    expect(r.createdAt).toBe(T0);
    expect(r.timeline.map((e) => [e.id, e.deviceTime - T0, e.serverTime! - T0])).toEqual([
      ['i1', 4 * MINUTE, 40 * MINUTE],
      ['t1', 5 * MINUTE, 40 * MINUTE],
      ['a1', 6 * MINUTE, 40 * MINUTE],
    ]);
    expect(r.invitations.map((i) => [i.invitation.post.id, i.status])).toEqual([
      ['p-e-mgmt', 'signed-on-time'],
      ['p-e-leader', 'overdue'],
      ['p-e-cid', 'signed-late'],
      ['p-e-patrol', 'overdue'],
    ]);
    expect(r.events.map((e) => e.postId)).toEqual(['p-e-leader', 'p-e-cid', 'p-e-patrol']);
    expect(r.counts).toMatchObject({ signedOnTime: 1, signedLate: 1, overdue: 2 });
    expect([r.instructions.length, r.tasks.length, r.approvals.length, r.closure, r.readOnly]).toEqual([
      1,
      1,
      1,
      null,
      false,
    ]);
  });
});
