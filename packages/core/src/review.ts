/**
 * REVIEW-1/REVIEW-2: the post-incident review (复盘) of a group, derived from its record (REC-1): the milestones on
 * one server-time axis, each sign-off's time to sign against its deadline, who was late and by how much, escalations,
 * and the closure against its deadline. Offline-attested verdicts are marked (`attested`) where the record says so.
 */
import type { GroupRecord } from './groupRecord.ts';
import type { PostKind } from './schema.ts';

export type MilestoneKind =
  | 'started'
  | 'invited'
  | 'signed'
  | 'escalated'
  | 'supervised'
  | 'first-finding'
  | 'first-clue'
  | 'instruction'
  | 'task'
  | 'task-done'
  | 'approval'
  | 'decision'
  | 'closed';

export interface Milestone {
  kind: MilestoneKind;
  /** Server time. */
  at: number;
  /** From the start of the group. */
  sinceStartMs: number;
  /** What it is about: a post, a person, a title (as written). */
  subject: string;
  /** Late against its deadline by this much (sign-offs, closure), else null. */
  lateByMs: number | null;
  attested: boolean;
}

export interface ReviewSignOff {
  invitationId: string;
  postId: string;
  postName: string;
  unitName: string;
  postKind: PostKind;
  registeredAt: number | null;
  deadline: number | null;
  signedAt: number | null;
  signedBy: string | null;
  /** From registration to the sign-off that counts. */
  msToSign: number | null;
  /** After the deadline by this much (signed late, or still unsigned at the closure), else null. */
  lateByMs: number | null;
  escalated: boolean;
  attested: boolean;
}

export interface GroupReview {
  startedAt: number;
  closedAt: number | null;
  closureDeadline: number | null;
  timely: boolean | null;
  /** Closed after its deadline by this much, else null. */
  closureLateByMs: number | null;
  durationMs: number | null;
  signOffs: ReviewSignOff[];
  milestones: Milestone[];
  /** Sign-offs that were late (or never made before the closure), most late first. */
  late: ReviewSignOff[];
}

const ORDER: MilestoneKind[] = [
  'started',
  'invited',
  'signed',
  'escalated',
  'supervised',
  'first-finding',
  'first-clue',
  'instruction',
  'task',
  'task-done',
  'approval',
  'decision',
  'closed',
];

/** REVIEW-1: the review of a group the server has stamped; null before the group record has a server time. */
export function groupReview(rec: GroupRecord): GroupReview | null {
  const start = rec.createdAt;
  if (start === null) return null;
  const closedAt = rec.closure?.at ?? null;
  const escalated = new Set(rec.events.map((e) => e.invitationId));
  const signOffs: ReviewSignOff[] = rec.invitations.map((v) => {
    // ATT-3: a sign-off judged on its plausible attested time is timed from that time, and marked.
    const signedAt = v.judgedAt ?? v.signOff?.serverTime ?? null;
    const judgedAt = signedAt ?? closedAt;
    return {
      invitationId: v.invitation.id,
      postId: v.invitation.post.id,
      postName: v.invitation.post.name,
      unitName: v.invitation.post.unitName,
      postKind: v.invitation.post.kind,
      registeredAt: v.registeredAt,
      deadline: v.deadline,
      signedAt,
      signedBy: v.signOff?.record.by.name ?? null,
      msToSign: signedAt !== null && v.registeredAt !== null ? signedAt - v.registeredAt : null,
      lateByMs: v.deadline !== null && judgedAt !== null && judgedAt > v.deadline ? judgedAt - v.deadline : null,
      escalated: escalated.has(v.invitation.id),
      attested: v.basis === 'attested',
    };
  });
  const ms: Omit<Milestone, 'sinceStartMs'>[] = [
    { kind: 'started', at: start, subject: rec.meta.title, lateByMs: null, attested: false },
  ];
  for (const s of signOffs) {
    if (s.registeredAt !== null) {
      ms.push({ kind: 'invited', at: s.registeredAt, subject: s.postName, lateByMs: null, attested: false });
    }
    if (s.signedAt !== null) {
      ms.push({ kind: 'signed', at: s.signedAt, subject: s.postName, lateByMs: s.lateByMs, attested: s.attested });
    }
  }
  const postName = new Map(signOffs.map((s) => [s.postId, s.postName]));
  for (const e of rec.events) {
    ms.push({
      kind: 'escalated',
      at: e.at,
      subject: postName.get(e.postId) ?? e.postId,
      lateByMs: null,
      attested: false,
    });
  }
  for (const s of rec.supervisors) {
    if (s.serverTime !== null) {
      ms.push({ kind: 'supervised', at: s.serverTime, subject: s.record.by.name, lateByMs: null, attested: false });
    }
  }
  const firstOf = (type: string) => rec.timeline.find((e) => e.record.type === type && e.serverTime !== null);
  const finding = firstOf('finding');
  if (finding) {
    ms.push({
      kind: 'first-finding',
      at: finding.serverTime!,
      subject: finding.record.author.name,
      lateByMs: null,
      attested: false,
    });
  }
  const clue = firstOf('clue');
  if (clue) {
    ms.push({
      kind: 'first-clue',
      at: clue.serverTime!,
      subject: clue.record.author.name,
      lateByMs: null,
      attested: false,
    });
  }
  for (const i of rec.instructions) {
    const at = i.instruction.serverTime;
    if (at !== null) {
      ms.push({ kind: 'instruction', at, subject: i.instruction.record.author.name, lateByMs: null, attested: false });
    }
  }
  for (const t of rec.tasks) {
    if (t.task.serverTime !== null) {
      ms.push({ kind: 'task', at: t.task.serverTime, subject: t.task.record.title, lateByMs: null, attested: false });
    }
    if (t.outcome?.serverTime) {
      ms.push({
        kind: 'task-done',
        at: t.outcome.serverTime,
        subject: t.task.record.title,
        lateByMs: null,
        attested: false,
      });
    }
  }
  for (const a of rec.approvals) {
    if (a.approval.serverTime !== null) {
      ms.push({
        kind: 'approval',
        at: a.approval.serverTime,
        subject: a.approval.record.typeName,
        lateByMs: null,
        attested: false,
      });
    }
    if (a.decision) {
      ms.push({ kind: 'decision', at: a.decision.at, subject: a.decision.by.name, lateByMs: null, attested: false });
    }
  }
  const closureLateByMs =
    closedAt !== null && rec.closureDeadline !== null && closedAt > rec.closureDeadline
      ? closedAt - rec.closureDeadline
      : null;
  if (closedAt !== null) {
    ms.push({
      kind: 'closed',
      at: closedAt,
      subject: rec.closure!.by.name,
      lateByMs: closureLateByMs,
      attested: false,
    });
  }
  const milestones = ms
    .sort((a, b) => a.at - b.at || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
    .map((m) => ({ ...m, sinceStartMs: m.at - start }));
  return {
    startedAt: start,
    closedAt,
    closureDeadline: rec.closureDeadline,
    timely: rec.closure ? rec.closure.timely : null,
    closureLateByMs,
    durationMs: closedAt === null ? null : closedAt - start,
    signOffs,
    milestones,
    late: signOffs.filter((s) => s.lateByMs !== null).sort((a, b) => b.lateByMs! - a.lateByMs!),
  };
}
