import { describe, expect, it } from 'vitest';
import { closureDeadline, recordClosure, requestClose } from './closure.ts';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { statsFacts } from './statsFacts.ts';
import { invitationViews, signOff } from './invitations.ts';
import { MINUTE } from './sla.ts';
import { addFinding } from './timeline.ts';

describe('group facts', () => {
  it('STATS-1: verdicts, time to sign, escalations, participants and closure come from the document alone', () => {
    const { doc, dir } = demoGroup();
    const views = invitationViews(doc, T0);
    const mgmt = views.find((v) => v.invitation.post.kind === 'management')!;
    const support = views.find((v) => v.invitation.post.kind === 'support')!;
    signOff(doc, { id: 's1', invitationId: mgmt.invitation.id, by: actorOf(dir, 'demo005'), deviceTime: T0 });
    stampAll(doc, T0 + 4 * MINUTE);
    const due = overdueToEscalate(doc, dir, T0 + 31 * MINUTE);
    recordEscalations(doc, due, T0 + 31 * MINUTE, SERVER);
    signOff(doc, { id: 's2', invitationId: support.invitation.id, by: actorOf(dir, 'demo010'), deviceTime: T0 });
    addFinding(doc, { id: 'f1', text: 'seen', author: actorOf(dir, 'demo009'), deviceTime: T0 });
    stampAll(doc, T0 + 40 * MINUTE);
    const by = actorOf(dir, 'demo005');
    const req = requestClose(doc, { id: 'c1', summary: 'done', by, postId: 'p-e-mgmt', deviceTime: T0 }, T0);
    recordClosure(doc, req, T0 + 49 * MINUTE, SERVER);

    const f = statsFacts(doc)!;
    expect(f.startedAt).toBe(T0);
    expect(f.closedAt).toBe(T0 + 49 * MINUTE);
    expect(f.closureDeadline).toBe(closureDeadline(doc));
    expect(f.timely).toBe(true);
    const m = f.invitations.find((i) => i.invitationId === mgmt.invitation.id)!;
    expect(m).toMatchObject({ verdict: 'on-time', signedAt: T0 + 4 * MINUTE, signedBy: 'demo005', required: true });
    const s = f.invitations.find((i) => i.invitationId === support.invitation.id)!;
    expect(s).toMatchObject({ verdict: 'late', signedAt: T0 + 40 * MINUTE, escalated: true, basis: 'stamp' });
    expect(f.escalations).toBe(due.length);
    expect(f.invitations.filter((i) => i.verdict === 'unsigned').length).toBe(views.length - 2);
    expect(f.participants).toEqual(['demo005', 'demo009', 'demo010', 'demo016']);
  });

  it('STATS-1: facts do not depend on when they are read, and are null without a group record', () => {
    const { doc } = demoGroup();
    expect(JSON.stringify(statsFacts(doc))).toBe(JSON.stringify(statsFacts(doc)));
    expect(statsFacts(demoGroup('tpl-theft', false).doc)!.startedAt).toBeNull();
  });
});
