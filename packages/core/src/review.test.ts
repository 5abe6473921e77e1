import { describe, expect, it } from 'vitest';
import { recordClosure, requestClose } from './closure.ts';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { groupRecord } from './groupRecord.ts';
import { invitationViews, signOff } from './invitations.ts';
import { groupReview } from './review.ts';
import { MINUTE } from './sla.ts';

describe('post-incident review', () => {
  it('REVIEW-1: milestones on one server-time axis, time to sign against deadlines, who was late by how much', () => {
    const { doc, dir } = demoGroup();
    const views = invitationViews(doc, T0);
    const mgmt = views.find((v) => v.invitation.post.kind === 'management')!;
    const support = views.find((v) => v.invitation.post.kind === 'support')!;
    signOff(doc, { id: 's1', invitationId: mgmt.invitation.id, by: actorOf(dir, 'demo005'), deviceTime: T0 });
    stampAll(doc, T0 + 3 * MINUTE);
    recordEscalations(doc, overdueToEscalate(doc, dir, T0 + 31 * MINUTE), T0 + 31 * MINUTE, SERVER);
    signOff(doc, { id: 's2', invitationId: support.invitation.id, by: actorOf(dir, 'demo010'), deviceTime: T0 });
    stampAll(doc, T0 + 42 * MINUTE);
    const by = actorOf(dir, 'demo005');
    const req = requestClose(doc, { id: 'c1', summary: 'done', by, postId: 'p-e-mgmt', deviceTime: T0 }, T0);
    recordClosure(doc, req, T0 + 49 * MINUTE, SERVER);

    const r = groupReview(groupRecord(doc, T0 + 60 * MINUTE, dir)!)!;
    expect(r.durationMs).toBe(49 * MINUTE);
    expect(r.timely).toBe(true);
    const m = r.signOffs.find((s) => s.invitationId === mgmt.invitation.id)!;
    expect(m).toMatchObject({ msToSign: 3 * MINUTE, lateByMs: null, escalated: false });
    const s = r.signOffs.find((x) => x.invitationId === support.invitation.id)!;
    expect(s).toMatchObject({ msToSign: 42 * MINUTE, lateByMs: 12 * MINUTE, escalated: true });
    // Posts never signed before the closure count as late up to the closure.
    expect(r.late[0]!.lateByMs).toBe(19 * MINUTE);
    expect(r.late.map((x) => x.invitationId)).toContain(support.invitation.id);
    const kinds = r.milestones.map((x) => x.kind);
    expect(kinds[0]).toBe('started');
    expect(kinds.at(-1)).toBe('closed');
    expect(r.milestones.every((x, i, a) => i === 0 || a[i - 1]!.at <= x.at)).toBe(true);
    expect(r.milestones.find((x) => x.kind === 'escalated')!.sinceStartMs).toBe(31 * MINUTE);
  });

  it('REVIEW-1: no review before the server has the group record', () => {
    const { doc, dir } = demoGroup('tpl-theft', false);
    expect(groupReview(groupRecord(doc, T0, dir)!)).toBeNull();
  });
});
