/**
 * ESC-1..ESC-4: overdue invitations are escalated by the server, never by a device. Everything here is derived from
 * facts stored in the document (server stamps of invitations and sign-offs, recorded events), so a relay that
 * restarts recomputes its timers and misses nothing.
 */
import type * as Y from 'yjs';
import { judgeAttested } from './attested.ts';
import { DEFAULT_DEADLINE_POLICY, incidentTypeOf, signOffMinutes } from './sla.ts';
import type { DeadlinePolicy } from './sla.ts';
import type { Directory } from './directory.ts';
import { readMeta } from './group.ts';
import { Root, rootMap } from './schema.ts';
import type { InvitationRecord, OverdueEvent, ServerEvent } from './schema.ts';
import { deadlineOf, isOnTime } from './sla.ts';
import { stampOf } from './stamps.ts';
import { parseInvitation, parseOverdueEvent, parseSignOff } from './validate.ts';

/** Key of the overdue event of an invitation in `server:events`: one per invitation, so recording is idempotent. */
export function overdueEventId(invitationId: string): string {
  return `overdue-${invitationId}`;
}

export interface EscalationDue {
  invitation: InvitationRecord;
  deadline: number;
  /** The leader post to escalate to (ESC-2), null when the directory has none. */
  escalateTo: { postId: string; name: string } | null;
}

/** Server events recorded in the document, oldest first. */
export function serverEvents(doc: Y.Doc): ServerEvent[] {
  const out: ServerEvent[] = [];
  for (const [key, v] of rootMap(doc, Root.events).entries()) {
    const e = parseOverdueEvent(v);
    if (e && e.id === key) out.push(e);
  }
  return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

interface Watched {
  invitation: InvitationRecord;
  deadline: number;
}

/**
 * Registered invitations without a sign-off judged within the deadline (its stamp, or its plausible attested time
 * when it arrived late: ATT-3) and without an overdue event yet. Never a device clock.
 */
function watched(doc: Y.Doc, policy: DeadlinePolicy): Watched[] {
  const incidentType = incidentTypeOf(doc);
  const events = rootMap(doc, Root.events);
  const signedOnTime = new Set<string>();
  const deadlines = new Map<string, Watched>();
  for (const [key, v] of rootMap(doc, Root.invitations).entries()) {
    const invitation = parseInvitation(v);
    const at = stampOf(doc, Root.invitations, key)?.at;
    if (!invitation || invitation.id !== key || at === undefined) continue;
    if (events.has(overdueEventId(key))) continue;
    // POL-15: the policy's deadline, never the record's.
    const minutes = signOffMinutes(policy, incidentType, invitation.post.kind);
    deadlines.set(key, { invitation, deadline: deadlineOf(at, minutes) });
  }
  for (const [key, v] of rootMap(doc, Root.signoffs).entries()) {
    const s = parseSignOff(v);
    const w = s && s.id === key ? deadlines.get(s.invitationId) : undefined;
    const at = stampOf(doc, Root.signoffs, key)?.at;
    if (!w || !s || s.postId !== w.invitation.post.id || at === undefined) continue;
    // ATT-3: a sign-off that arrived late but was made in time offline (plausible attested time) prevents it too.
    const j = isOnTime(at, w.deadline) ? null : judgeAttested(doc, Root.signoffs, key);
    if (j === null || (j.plausible && isOnTime(j.attested.at, w.deadline))) signedOnTime.add(s.invitationId);
  }
  return [...deadlines.values()].filter((w) => !signedOnTime.has(w.invitation.id));
}

/**
 * ESC-1: invitations whose deadline has passed at the server's `now` with no sign-off judged within it (stamp, or
 * plausible attested time: ATT-3), and that have not been escalated yet. A sign-off judged on time prevents
 * escalation; one arriving after the escalation marks it withdrawn (`withdrawnEscalations`) but never deletes it.
 */
export function overdueToEscalate(
  doc: Y.Doc,
  directory: Directory,
  now: number,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): EscalationDue[] {
  const unitId = readMeta(doc)?.unitId ?? null;
  return watched(doc, policy)
    .filter((w) => now > w.deadline)
    .sort((a, b) => a.deadline - b.deadline || (a.invitation.id < b.invitation.id ? -1 : 1))
    .map((w) => {
      const post = unitId === null ? null : directory.escalationPostFor(unitId, w.invitation.post.id);
      return { ...w, escalateTo: post ? { postId: post.id, name: post.name } : null };
    });
}

/**
 * ESC-3: records the overdue event of each escalation (server only, in the relay's origin). Idempotent: an
 * invitation already escalated is skipped. Returns the events written.
 */
export function recordEscalations(
  doc: Y.Doc,
  due: readonly EscalationDue[],
  now: number,
  origin: unknown,
): OverdueEvent[] {
  const events = rootMap(doc, Root.events);
  const written: OverdueEvent[] = [];
  const ids = new Set<string>();
  const todo = due.filter((d) => {
    const id = overdueEventId(d.invitation.id);
    if (events.has(id) || ids.has(id)) return false;
    ids.add(id);
    return true;
  });
  if (todo.length === 0) return written;
  doc.transact(() => {
    for (const d of todo) {
      const e: OverdueEvent = {
        id: overdueEventId(d.invitation.id),
        type: 'overdue',
        invitationId: d.invitation.id,
        postId: d.invitation.post.id,
        escalatedToPostId: d.escalateTo?.postId ?? null,
        deadline: d.deadline,
        at: now,
      };
      events.set(e.id, e);
      written.push(e);
    }
  }, origin);
  return written;
}

/**
 * ESC-4: the next moment the server must look at this document (the earliest deadline still watched), or null.
 * A value ≤ `now` means an escalation is due already (e.g. after a restart). The server keeps one timer per doc.
 */
export function nextDeadline(
  doc: Y.Doc,
  _now?: number,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): number | null {
  let next: number | null = null;
  for (const w of watched(doc, policy)) {
    const t = w.deadline + 1; // overdue is strictly after the deadline (SLA-2 is inclusive)
    if (next === null || t < next) next = t;
  }
  return next;
}
