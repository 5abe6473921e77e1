import { describe, expect, it } from 'vitest';
import { judgeAttested } from './attested.ts';
import { actorOf, demoGroup, SERVER, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { inboxDeliveries } from './inbox.ts';
import { invitationViews, signOff } from './invitations.ts';
import type { Attested } from './schema.ts';
import { MINUTE } from './sla.ts';
import { stampRecords } from './stamps.ts';
import { acknowledge, acksByEntry } from './acks.ts';
import { pushClue } from './clues.ts';
import { giveInstruction } from './instructions.ts';
import { addTask, completeTask, taskViews } from './tasks.ts';
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

  it('ATT-1 ATT-4: instructions, clues, acknowledgements and task outcomes carry the attested time; an outcome made in time offline is not closed late', () => {
    const { doc, dir } = demoGroup();
    const leader = actorOf(dir, 'demo007');
    const desk = actorOf(dir, 'demo010');
    const skew = 2 * 60 * MINUTE; // device clocks two hours off change nothing
    giveInstruction(doc, {
      id: 'i-1',
      text: 'check the cameras (fictional)',
      to: [{ kind: 'person', id: 'demo010', name: desk.name }],
      author: leader,
      deviceTime: T0 + skew,
      attested: att(T0 + 2 * MINUTE),
    });
    pushClue(doc, {
      id: 'c-1',
      text: 'grey van (fictional)',
      targetUnitIds: ['ks-e1'],
      author: desk,
      deviceTime: T0 - skew,
      attested: att(T0 + 3 * MINUTE),
    });
    addTask(doc, {
      id: 't-1',
      title: 'cameras (fictional)',
      assignee: { kind: 'person', id: 'demo010', name: desk.name },
      due: T0 + 10 * MINUTE,
      author: leader,
      deviceTime: T0,
    });
    stampRecords(
      doc,
      ['i-1', 'c-1', 't-1'].map((id) => ({ collection: 'entries' as const, id })),
      T0 + 4 * MINUTE,
      SERVER,
    );
    // Offline: acknowledged at T0+5 and done at T0+8 (before the task's due time); both arrive at T0+30.
    acknowledge(doc, {
      id: 'a-1',
      entryId: 'i-1',
      kind: 'ack',
      by: desk,
      postId: null,
      deviceTime: T0 + 5 * MINUTE - skew,
      attested: att(T0 + 5 * MINUTE, { anchorAt: T0 + 4 * MINUTE }),
    });
    completeTask(doc, {
      id: 'o-1',
      taskId: 't-1',
      text: 'done (fictional)',
      by: desk,
      deviceTime: T0 + 8 * MINUTE + skew,
      attested: att(T0 + 8 * MINUTE, { anchorAt: T0 + 4 * MINUTE }),
    });
    stampRecords(
      doc,
      [
        { collection: 'acks', id: 'a-1' },
        { collection: 'taskEvents', id: 'o-1' },
      ],
      T0 + 30 * MINUTE,
      SERVER,
    );
    expect(acksByEntry(doc).get('i-1')?.[0]?.record.attested?.at).toBe(T0 + 5 * MINUTE);
    expect(judgeAttested(doc, 'acks', 'a-1').plausible).toBe(true);
    const task = taskViews(doc, T0 + 31 * MINUTE).find((t) => t.task.id === 't-1')!;
    expect([task.state, task.closedLate, task.outcome?.record.attested?.at]).toEqual(['done', false, T0 + 8 * MINUTE]);
    // ATT-5: the outcome arrived after its due time and was judged on its attested time.
    expect([task.basis, task.judgedAt]).toEqual(['attested', T0 + 8 * MINUTE]);
    const order = timeline(doc)
      .map((e) => e.id)
      .filter((id) => id === 'i-1' || id === 'c-1');
    expect(order).toEqual(['i-1', 'c-1']);
    // Without an attested time the outcome is judged on its stamp: late.
    const { doc: plain } = demoGroup();
    addTask(plain, {
      id: 't-1',
      title: 'cameras (fictional)',
      assignee: { kind: 'person', id: 'demo010', name: desk.name },
      due: T0 + 10 * MINUTE,
      author: leader,
      deviceTime: T0,
    });
    completeTask(plain, { id: 'o-1', taskId: 't-1', text: 'done', by: desk, deviceTime: T0 + 8 * MINUTE });
    stampRecords(plain, [{ collection: 'taskEvents', id: 'o-1' }], T0 + 30 * MINUTE, SERVER);
    expect(taskViews(plain, T0 + 31 * MINUTE)[0]?.closedLate).toBe(true);
    expect(taskViews(plain, T0 + 31 * MINUTE)[0]?.basis).toBe('stamp');
  });
});
