import { describe, expect, it } from 'vitest';
import { actorOf, demoGroup, SERVER, T0 } from './demoFixture.ts';
import { nextDeadline, overdueToEscalate, recordEscalations, serverEvents } from './escalation.ts';
import { signOff } from './invitations.ts';
import { MINUTE } from './sla.ts';
import { stampRecords } from './stamps.ts';

describe('escalation (server)', () => {
  it('ESC-1: nothing is escalated before a deadline; the unsigned management post is escalated just after it', () => {
    const { doc, dir } = demoGroup();
    expect(overdueToEscalate(doc, dir, T0 + 10 * MINUTE)).toEqual([]);
    const due = overdueToEscalate(doc, dir, T0 + 10 * MINUTE + 1);
    expect(due.map((d) => [d.invitation.post.id, d.escalateTo?.postId])).toEqual([['p-e-mgmt', 'p-e-leader']]);
  });

  it('ESC-1: a sign-off stamped before the deadline is never escalated; one after is escalated exactly once', () => {
    const { doc, dir } = demoGroup();
    const mgmt = actorOf(dir, 'demo005');
    const cid = actorOf(dir, 'demo010');
    signOff(doc, { id: 's-m', invitationId: 'inv-0', by: mgmt, deviceTime: T0 + MINUTE });
    stampRecords(doc, [{ collection: 'signoffs', id: 's-m' }], T0 + 9 * MINUTE, SERVER);
    // The criminal brigade desk signs on its device in time, but offline: its stamp comes after the deadline.
    signOff(doc, { id: 's-c', invitationId: 'inv-2', by: cid, deviceTime: T0 + 5 * MINUTE });
    const late = T0 + 30 * MINUTE + 1;
    const due = overdueToEscalate(doc, dir, late).map((d) => d.invitation.id);
    expect(due).toEqual(['inv-1', 'inv-2', 'inv-3']);
    expect(recordEscalations(doc, overdueToEscalate(doc, dir, late), late, SERVER)).toHaveLength(3);
    stampRecords(doc, [{ collection: 'signoffs', id: 's-c' }], late + MINUTE, SERVER);
    // Asked again (another update, a restart): nothing more.
    expect(overdueToEscalate(doc, dir, late + 2 * MINUTE)).toEqual([]);
    expect(recordEscalations(doc, overdueToEscalate(doc, dir, late), late, SERVER)).toEqual([]);
    expect(serverEvents(doc).map((e) => [e.invitationId, e.escalatedToPostId, e.at])).toEqual([
      ['inv-1', 'p-e-chief', late], // the duty leader's own invitation goes to the next leader post
      ['inv-2', 'p-e-leader', late],
      ['inv-3', 'p-e-leader', late],
    ]);
  });

  it('ESC-3: recording is idempotent even when handed the same escalation twice', () => {
    const { doc, dir } = demoGroup();
    const due = overdueToEscalate(doc, dir, T0 + 31 * MINUTE);
    expect(recordEscalations(doc, [...due, ...due], T0 + 31 * MINUTE, SERVER)).toHaveLength(4);
    expect(serverEvents(doc)).toHaveLength(4);
  });

  it('ESC-4: nextDeadline is derived from stored facts (a restart loses no timer) and ignores pending invitations', () => {
    const { doc: pending } = demoGroup('tpl-theft', false);
    expect(nextDeadline(pending, T0)).toBeNull();
    const { doc, dir } = demoGroup();
    expect(nextDeadline(doc, T0)).toBe(T0 + 10 * MINUTE + 1);
    recordEscalations(doc, overdueToEscalate(doc, dir, T0 + 11 * MINUTE), T0 + 11 * MINUTE, SERVER);
    expect(nextDeadline(doc, T0 + 11 * MINUTE)).toBe(T0 + 30 * MINUTE + 1);
    // A server that was down across the deadline learns at once that it is due.
    expect(nextDeadline(doc, T0 + 60 * MINUTE)).toBeLessThan(T0 + 60 * MINUTE);
  });
});
