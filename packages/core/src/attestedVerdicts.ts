/**
 * ATT-3: the verdicts of a group judged on an attested time: sign-offs that arrived after their deadline whose
 * plausible attested time decided them (on time or late), each with the escalation it withdrew, if any. The relay
 * audits each as it arrives; supervisors filter them (`attested` in the invitation list and the review).
 */
import type * as Y from 'yjs';
import { serverEvents } from './escalation.ts';
import { invitationViews } from './invitations.ts';
import type { InvitationStatus } from './invitations.ts';
import type { Attested } from './schema.ts';
import type { DeadlinePolicy } from './sla.ts';

export interface AttestedVerdict {
  invitationId: string;
  postId: string;
  signOffId: string;
  status: Extract<InvitationStatus, 'signed-on-time' | 'signed-late'>;
  deadline: number;
  /** The attested time the verdict was judged on, and the sign-off's arrival (its stamp). */
  attestedAt: number;
  arrivedAt: number;
  uncertaintyMs: number;
  chain: Attested['chain'];
  /** The overdue event the verdict withdrew (an on-time verdict after an escalation), else null. */
  withdrewEventId: string | null;
}

/** ATT-3: every verdict of the group judged on an attested time, in invitation order. */
export function attestedVerdicts(doc: Y.Doc, policy?: DeadlinePolicy): AttestedVerdict[] {
  const escalated = new Map(serverEvents(doc).map((e) => [e.invitationId, e.id]));
  const out: AttestedVerdict[] = [];
  for (const v of invitationViews(doc, 0, policy)) {
    const s = v.signOff;
    if (v.basis !== 'attested' || !s || !s.record.attested || s.serverTime === null || v.deadline === null) continue;
    if (v.status !== 'signed-on-time' && v.status !== 'signed-late') continue;
    out.push({
      invitationId: v.invitation.id,
      postId: v.invitation.post.id,
      signOffId: s.id,
      status: v.status,
      deadline: v.deadline,
      attestedAt: v.judgedAt!,
      arrivedAt: s.serverTime,
      uncertaintyMs: s.record.attested.uncertaintyMs,
      chain: s.record.attested.chain,
      withdrewEventId: v.status === 'signed-on-time' ? (escalated.get(v.invitation.id) ?? null) : null,
    });
  }
  return out;
}
