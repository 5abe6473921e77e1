/**
 * STATS-1: the facts of one group that the statistics count, derived from the document alone (never from `now`), so
 * the server's projection kept up to date as the group changes equals one rebuilt from the stored documents.
 */
import type * as Y from 'yjs';
import { closureDeadline } from './closure.ts';
import { serverEvents } from './escalation.ts';
import { readMeta } from './group.ts';
import { supervisors } from './instructions.ts';
import { invitationViews } from './invitations.ts';
import type { InvitationView } from './invitations.ts';
import { readClosure } from './records.ts';
import { META_KEY, Root, rootMap } from './schema.ts';
import type { GroupKind, PostKind } from './schema.ts';
import { stampOf } from './stamps.ts';
import {
  parseAck,
  parseCloseRequest,
  parseDecisionRequest,
  parseEntry,
  parseSignOff,
  parseTaskEvent,
} from './validate.ts';

/**
 * How a sign-off was judged: `on-time` / `late` against the deadline, `unsigned` (registered, no sign-off yet),
 * `pending` (invitation not registered), `unconfirmed` (signed on a device, not stamped yet).
 */
export type SignVerdict = 'on-time' | 'late' | 'unsigned' | 'pending' | 'unconfirmed';

/** What the verdict was judged on: the server's stamp, or a plausible offline-attested time (shown apart). */
export type VerdictBasis = 'stamp' | 'attested';

export interface InvitationFact {
  invitationId: string;
  postId: string;
  postKind: PostKind;
  /** The invited post's unit. */
  postUnitId: string;
  /** Invited by the one tap that started the group (a post its template requires). */
  required: boolean;
  registeredAt: number | null;
  deadline: number | null;
  /** The time the verdict was judged on (server stamp, or attested time), null while unsigned or unconfirmed. */
  signedAt: number | null;
  signedBy: string | null;
  verdict: SignVerdict;
  basis: VerdictBasis;
  /** ESC-1: the server recorded an overdue event for it. */
  escalated: boolean;
}

export interface StatsFacts {
  groupId: string;
  kind: GroupKind;
  /** Incident type of an incident group, null for a plain task group. */
  incidentType: string | null;
  unitId: string;
  templateId: string | null;
  /** Server time of the group record; null until stamped. */
  startedAt: number | null;
  closedAt: number | null;
  closureDeadline: number | null;
  /** CLOSE-4, null while open. */
  timely: boolean | null;
  /** Distinct persons who took part (initiator, authors, signers, supervisors, acknowledgers, requesters), sorted. */
  participants: string[];
  /** Sorted by invitation id. */
  invitations: InvitationFact[];
  escalations: number;
}

const VERDICT: Record<InvitationView['status'], SignVerdict> = {
  pending: 'pending',
  waiting: 'unsigned',
  overdue: 'unsigned',
  'signed-unconfirmed': 'unconfirmed',
  'signed-on-time': 'on-time',
  'signed-late': 'late',
};

/** The person a record of these collections makes a participant. */
const PARTICIPANT_OF: Readonly<Record<string, (v: unknown) => string | null | undefined>> = {
  [Root.entries]: (v) => parseEntry(v)?.author.personId,
  [Root.signoffs]: (v) => parseSignOff(v)?.by.personId,
  [Root.acks]: (v) => parseAck(v)?.by.personId,
  [Root.taskEvents]: (v) => parseTaskEvent(v)?.by.personId,
  [Root.decisionRequests]: (v) => parseDecisionRequest(v)?.by.personId,
  [Root.closeRequests]: (v) => parseCloseRequest(v)?.by.personId,
};

/** Collections the facts count for participants only (a change there adds at most a participant). */
const PARTICIPANTS_ONLY = new Set<string>([
  Root.entries,
  Root.acks,
  Root.taskEvents,
  Root.decisionRequests,
  Root.closeRequests,
]);
/** Collections the facts do not read. */
const UNREAD = new Set<string>([Root.questions, Root.answers, Root.lookupPushes]);

function participantsOf(doc: Y.Doc, initiatorId: string): string[] {
  const ids = new Set<string>([initiatorId]);
  for (const [collection, pick] of Object.entries(PARTICIPANT_OF)) {
    for (const v of rootMap(doc, collection).values()) {
      const id = pick(v);
      if (id) ids.add(id);
    }
  }
  for (const s of supervisors(doc)) ids.add(s.record.by.personId);
  return [...ids].sort();
}

/**
 * PERF-1: whether a group's facts may differ from `facts` once these records changed (per collection, stamps folded
 * in: `changedRecords`). False only when every change is to a collection the facts do not read, or count for
 * participants alone with a person who is one already; then the facts need not be derived again.
 */
export function factsMayChange(
  doc: Y.Doc,
  facts: StatsFacts,
  changed: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  let known: Set<string> | null = null;
  for (const [collection, keys] of changed) {
    if (UNREAD.has(collection)) continue;
    const pick = PARTICIPANT_OF[collection];
    if (!pick || !PARTICIPANTS_ONLY.has(collection)) return true;
    known ??= new Set(facts.participants);
    const map = rootMap(doc, collection);
    for (const key of keys) {
      const id = pick(map.get(key));
      if (id && !known.has(id)) return true;
    }
  }
  return false;
}

/** STATS-1: the group's facts, or null while the document holds no group record. */
export function statsFacts(doc: Y.Doc): StatsFacts | null {
  const meta = readMeta(doc);
  if (!meta) return null;
  const closure = readClosure(doc);
  const escalated = new Set(serverEvents(doc).map((e) => e.invitationId));
  const invitations = invitationViews(doc, 0)
    .map((v): InvitationFact => {
      const verdict = VERDICT[v.status];
      const judged = verdict === 'on-time' || verdict === 'late';
      return {
        invitationId: v.invitation.id,
        postId: v.invitation.post.id,
        postKind: v.invitation.post.kind,
        postUnitId: v.invitation.post.unitId,
        required:
          meta.templateId !== undefined &&
          v.invitation.invitedBy.personId === meta.initiator.personId &&
          v.invitation.deviceTime === meta.deviceTime,
        registeredAt: v.registeredAt,
        deadline: v.deadline,
        signedAt: judged ? v.judgedAt : null,
        signedBy: judged ? (v.signOff?.record.by.personId ?? null) : null,
        verdict,
        basis: v.basis,
        escalated: escalated.has(v.invitation.id),
      };
    })
    .sort((a, b) => (a.invitationId < b.invitationId ? -1 : a.invitationId > b.invitationId ? 1 : 0));
  return {
    groupId: meta.id,
    kind: meta.kind,
    incidentType: meta.incident?.type ?? null,
    unitId: meta.unitId,
    templateId: meta.templateId ?? null,
    startedAt: stampOf(doc, Root.meta, META_KEY)?.at ?? null,
    closedAt: closure?.at ?? null,
    closureDeadline: closureDeadline(doc),
    timely: closure ? closure.timely : null,
    participants: participantsOf(doc, meta.initiator.personId),
    invitations,
    escalations: escalated.size,
  };
}
