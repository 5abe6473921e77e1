/**
 * ATT-3: an escalation fired while a sign-off was on its way from a device that signed in time offline is kept in
 * the record and marked withdrawn once that sign-off arrives and is judged on time on its attested time.
 */
import type * as Y from 'yjs';
import { attestedVerdicts } from './attestedVerdicts.ts';
import type { DeadlinePolicy } from './sla.ts';

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
export function withdrawnEscalations(doc: Y.Doc, policy?: DeadlinePolicy): Map<string, WithdrawnEscalation> {
  const out = new Map<string, WithdrawnEscalation>();
  for (const v of attestedVerdicts(doc, policy)) {
    if (v.withdrewEventId === null) continue;
    out.set(v.invitationId, {
      eventId: v.withdrewEventId,
      invitationId: v.invitationId,
      signOffId: v.signOffId,
      attestedAt: v.attestedAt,
      arrivedAt: v.arrivedAt,
    });
  }
  return out;
}
