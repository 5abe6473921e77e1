/**
 * ATT-3: an escalation fired while a sign-off was on its way from a device that signed in time offline is kept in
 * the record and marked withdrawn once that sign-off arrives and is judged on time on its attested time.
 */
import type * as Y from 'yjs';
import { serverEvents } from './escalation.ts';
import { invitationViews } from './invitations.ts';

export interface WithdrawnEscalation {
  /** The overdue event (`overdue-<invitationId>`). */
  eventId: string;
  invitationId: string;
  /** The sign-off that withdrew it, its attested time and its arrival (stamp). */
  signOffId: string;
  attestedAt: number;
  arrivedAt: number;
}

/** ATT-3: the escalations of a group withdrawn by an attested on-time sign-off, by invitation id. */
export function withdrawnEscalations(doc: Y.Doc): Map<string, WithdrawnEscalation> {
  const out = new Map<string, WithdrawnEscalation>();
  const escalated = new Map(serverEvents(doc).map((e) => [e.invitationId, e.id]));
  if (escalated.size === 0) return out;
  for (const v of invitationViews(doc, 0)) {
    const eventId = escalated.get(v.invitation.id);
    if (!eventId || v.status !== 'signed-on-time' || v.basis !== 'attested' || !v.signOff) continue;
    out.set(v.invitation.id, {
      eventId,
      invitationId: v.invitation.id,
      signOffId: v.signOff.id,
      attestedAt: v.judgedAt!,
      arrivedAt: v.signOff.serverTime!,
    });
  }
  return out;
}
