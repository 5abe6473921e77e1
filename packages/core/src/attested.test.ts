import { describe, expect, it } from 'vitest';
import { judgeAttested } from './attested.ts';
import { actorOf, demoGroup, SERVER, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { inboxDeliveries } from './inbox.ts';
import { invitationViews, signOff } from './invitations.ts';
import type { Attested } from './schema.ts';
import { MINUTE } from './sla.ts';
import { stampRecords } from './stamps.ts';
import { addFinding, timeline } from './timeline.ts';
import { withdrawnEscalations } from './withdrawn.ts';

const att = (at: number, over: Partial<Attested> = {}): Attested => ({
  at,
  uncertaintyMs: 1_000,
  anchorAt: T0 + MINUTE,
  chain: 'monotonic',
  ...over,
});

/** The criminal brigade desk (support post, 30 min) signs offline; the escalation fires; the sign-off arrives. */
function lateArrival(attested: Attested) {
  const { doc, dir } = demoGroup();
  const cid = actorOf(dir, 'demo010');
  signOff(doc, { id: 's-c', invitationId: 'inv-2', by: cid, deviceTime: T0 - 2 * 60 * MINUTE, attested });
  const at31 = T0 + 31 * MINUTE;
  recordEscalations(doc, overdueToEscalate(doc, dir, at31), at31, SERVER);
  stampRecords(doc, [{ collection: 'signoffs', id: 's-c' }], T0 + 32 * MINUTE, SERVER);
  return { doc, view: invitationViews(doc, T0 + 33 * MINUTE).find((v) => v.invitation.id === 'inv-2')! };
}

describe('attested time', () => {
  it('ATT-3: a sign-off made in time offline and arriving after the deadline is on time on its attested time; the escalation is withdrawn', () => {
    const { doc, view } = lateArrival(att(T0 + 4 * MINUTE));
    expect(view.status).toBe('signed-on-time');
    expect(view.basis).toBe('attested');
    expect(view.judgedAt).toBe(T0 + 4 * MINUTE);
    expect(view.signOff?.serverTime).toBe(T0 + 32 * MINUTE);
    expect([...withdrawnEscalations(doc).values()]).toEqual([
      {
        eventId: 'overdue-inv-2',
        invitationId: 'inv-2',
        signOffId: 's-c',
        attestedAt: T0 + 4 * MINUTE,
        arrivedAt: T0 + 32 * MINUTE,
      },
    ]);
  });

  it('ATT-3: the leader post the escalation went to is told it was withdrawn (inbox), once per person', () => {
    const { doc, dir } = demoGroup();
    const before = inboxDeliveries(doc, dir).filter((d) => d.item.kind === 'withdrawn');
    expect(before).toEqual([]);
    const { doc: late } = lateArrival(att(T0 + 4 * MINUTE));
    const got = inboxDeliveries(late, dir);
    const escalatedTo = got
      .filter((d) => d.item.kind === 'escalation' && d.item.refId === 'inv-2')
      .map((d) => d.personId);
    const told = got.filter((d) => d.item.kind === 'withdrawn');
    expect(escalatedTo.length).toBeGreaterThan(0);
    expect(told.map((d) => d.personId).sort()).toEqual([...escalatedTo].sort());
    expect(told[0]!.item).toMatchObject({
      id: 'withdrawn.g-demo-1.inv-2',
      refId: 'inv-2',
      at: T0 + 32 * MINUTE,
      postId: 'p-e-cid',
    });
    // An implausible attested time withdraws nothing, so no one is told.
    const { doc: stale } = lateArrival(att(T0 + 4 * MINUTE, { uncertaintyMs: 3 * MINUTE }));
    expect(inboxDeliveries(stale, dir).filter((d) => d.item.kind === 'withdrawn')).toEqual([]);
  });

  it('ATT-3 ESC-1: a sign-off made in time offline that arrives after the deadline but before the check prevents the escalation', () => {
    const { doc, dir } = demoGroup();
    const cid = actorOf(dir, 'demo010');
    signOff(doc, { id: 's-c', invitationId: 'inv-2', by: cid, deviceTime: 0, attested: att(T0 + 4 * MINUTE) });
    stampRecords(doc, [{ collection: 'signoffs', id: 's-c' }], T0 + 31 * MINUTE, SERVER);
    const due = overdueToEscalate(doc, dir, T0 + 32 * MINUTE).map((d) => d.invitation.id);
    expect(due).not.toContain('inv-2');
    // The same late arrival without a plausible attested time is escalated (the stamp decides, SLA-2).
    const { doc: other } = demoGroup();
    signOff(other, { id: 's-c', invitationId: 'inv-2', by: cid, deviceTime: T0 + 4 * MINUTE });
    stampRecords(other, [{ collection: 'signoffs', id: 's-c' }], T0 + 31 * MINUTE, SERVER);
    expect(overdueToEscalate(other, dir, T0 + 32 * MINUTE).map((d) => d.invitation.id)).toContain('inv-2');
  });

  it('ATT-2: an implausible attested time is not used: too uncertain, after arrival, before its anchor', () => {
    for (const a of [
      att(T0 + 4 * MINUTE, { uncertaintyMs: 3 * MINUTE }),
      att(T0 + 40 * MINUTE),
      att(T0 + 4 * MINUTE, { anchorAt: T0 + 5 * MINUTE }),
    ]) {
      const { doc, view } = lateArrival(a);
      expect(view.status).toBe('signed-late');
      expect(view.basis).toBe('stamp');
      expect(view.judgedAt).toBe(T0 + 32 * MINUTE);
      expect(withdrawnEscalations(doc).size).toBe(0);
    }
  });

  it('ATT-2: an attested time before the device’s last contact as the server recorded it is not used', () => {
    const { doc, dir } = demoGroup();
    const cid = actorOf(dir, 'demo010');
    // The same device wrote a finding that reached the server at T0+20; its later sign-off claims T0+4.
    addFinding(doc, {
      id: 'f-1',
      text: 'seen (fictional)',
      author: cid,
      deviceTime: T0,
      attested: att(T0 + 19 * MINUTE),
    });
    stampRecords(doc, [{ collection: 'entries', id: 'f-1' }], T0 + 20 * MINUTE, SERVER);
    signOff(doc, { id: 's-c', invitationId: 'inv-2', by: cid, deviceTime: T0, attested: att(T0 + 4 * MINUTE) });
    stampRecords(doc, [{ collection: 'signoffs', id: 's-c' }], T0 + 32 * MINUTE, SERVER);
    expect(judgeAttested(doc, 'signoffs', 's-c')).toMatchObject({ plausible: false, reason: 'before-contact' });
    expect(invitationViews(doc, T0 + 33 * MINUTE).find((v) => v.invitation.id === 'inv-2')?.status).toBe('signed-late');
  });

  it('ATT-1: device clocks off by ±2 h change nothing: the verdict reads the attested time, never the device time', () => {
    for (const skew of [-2 * 60 * MINUTE, 2 * 60 * MINUTE]) {
      const { doc, dir } = demoGroup();
      signOff(doc, {
        id: 's-c',
        invitationId: 'inv-2',
        by: actorOf(dir, 'demo010'),
        deviceTime: T0 + 4 * MINUTE + skew,
        attested: att(T0 + 4 * MINUTE),
      });
      stampRecords(doc, [{ collection: 'signoffs', id: 's-c' }], T0 + 32 * MINUTE, SERVER);
      const v = invitationViews(doc, T0 + 33 * MINUTE).find((x) => x.invitation.id === 'inv-2')!;
      expect([v.status, v.basis, v.judgedAt]).toEqual(['signed-on-time', 'attested', T0 + 4 * MINUTE]);
    }
  });

  it('ATT-4: the timeline orders by when things were done and an entry keeps its place when its stamp arrives', () => {
    const { doc, dir } = demoGroup();
    const a = actorOf(dir, 'demo010');
    // Made offline at T0+2 (arrives T0+32) and online at T0+6 (arrives T0+6).
    addFinding(doc, {
      id: 'f-early',
      text: 'early (fictional)',
      author: a,
      deviceTime: 5,
      attested: att(T0 + 2 * MINUTE),
    });
    addFinding(doc, {
      id: 'f-later',
      text: 'later (fictional)',
      author: a,
      deviceTime: 9,
      attested: att(T0 + 6 * MINUTE),
    });
    stampRecords(doc, [{ collection: 'entries', id: 'f-later' }], T0 + 6 * MINUTE + 100, SERVER);
    const before = timeline(doc).map((t) => t.id);
    stampRecords(doc, [{ collection: 'entries', id: 'f-early' }], T0 + 32 * MINUTE, SERVER);
    const after = timeline(doc);
    expect(before.filter((id) => id.startsWith('f-'))).toEqual(['f-early', 'f-later']);
    expect(after.map((t) => t.id).filter((id) => id.startsWith('f-'))).toEqual(['f-early', 'f-later']);
    const early = after.find((t) => t.id === 'f-early')!;
    expect([early.attestedAt, early.serverTime]).toEqual([T0 + 2 * MINUTE, T0 + 32 * MINUTE]);
  });
});
