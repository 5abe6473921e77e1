/**
 * The layout of a group document. Device-written records live in root Y.Maps keyed by an id made on the
 * device; each value is a plain JSON record written once. Server-owned root types carry the `server:` prefix
 * and are written by the relay only.
 */
import * as Y from 'yjs';
import {
  ANSWERS_ROOT,
  CLOSURE_ROOT,
  DECISIONS_ROOT,
  EVENTS_ROOT,
  RECEIPTS_ROOT,
  REFUSALS_ROOT,
  RECIPIENTS_ROOT,
  SEAL_ROOT,
  STAMPS_ROOT,
} from '@muster/protocol';
import type { Stamp } from '@muster/protocol';

export const Root = {
  meta: 'meta',
  entries: 'entries',
  invitations: 'invitations',
  signoffs: 'signoffs',
  /** Leaders following the group (SUP-1). */
  supervisions: 'supervisions',
  /** Seen / acknowledged markers of instructions and clues (INS-2, CLUE-2). */
  acks: 'acks',
  /** Done / waived records of tasks (TASK-2). */
  taskEvents: 'taskEvents',
  /** A leader's decision on an approval, as asked of the relay (APR-3). */
  decisionRequests: 'decisionRequests',
  /** Requests to close the group (CLOSE-1). */
  closeRequests: 'closeRequests',
  /** Requests to seal a closed group (LATE-3). */
  sealRequests: 'sealRequests',
  /** Lessons of the post-incident review, written after closure (REVIEW-3). */
  lessons: 'lessons',
  /** Look-up questions to the assistant (ASSIST-4). */
  questions: 'questions',
  /** Look-up answers pushed to a member's inbox (ASSIST-8). */
  lookupPushes: 'lookupPushes',
  /** Re-notifications (催办) of a clue or an invitation to whom has not acted yet (REMIND-1). */
  reminders: 'reminders',
  stamps: STAMPS_ROOT,
  events: EVENTS_ROOT,
  decisions: DECISIONS_ROOT,
  closure: CLOSURE_ROOT,
  /** The relay's refusals of requests (REQ-1), keyed `<collection>/<id>`. */
  refusals: REFUSALS_ROOT,
  /** The seal of a closed group (LATE-3). */
  seal: SEAL_ROOT,
  /** Closure receipts per device client id (LATE-1). */
  receipts: RECEIPTS_ROOT,
  /** The assistant's answers (ASSIST-4), keyed by question id. */
  answers: ANSWERS_ROOT,
  /** Whom each clue went to, as the relay resolved it (CLUE-5), keyed by the clue's id. */
  recipients: RECIPIENTS_ROOT,
} as const;

/** Device-written collections whose records the server stamps. */
export const STAMPED_COLLECTIONS = [
  Root.meta,
  Root.entries,
  Root.invitations,
  Root.signoffs,
  Root.supervisions,
  Root.acks,
  Root.taskEvents,
  Root.decisionRequests,
  Root.closeRequests,
  Root.sealRequests,
  Root.lessons,
  Root.questions,
  Root.lookupPushes,
  Root.reminders,
] as const;
export type StampedCollection = (typeof STAMPED_COLLECTIONS)[number];

/** Key of the group record inside the `meta` map. */
export const META_KEY = 'group';

export interface Actor {
  personId: string;
  name: string;
}

export type GroupKind = 'incident' | 'task';

export interface IncidentInfo {
  number: string;
  type: string;
  address: string;
  /** Device time the incident was reported, if known. */
  reportedAt: number | null;
}

export interface GroupMeta {
  id: string;
  kind: GroupKind;
  title: string;
  incident: IncidentInfo | null;
  unitId: string;
  initiator: Actor;
  deviceTime: number;
  /** Template the group was started from (TPL-1), if any. */
  templateId?: string;
}

export type PostKind = 'management' | 'support' | 'leader';

export interface PostRef {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  kind: PostKind;
}

export interface InvitationRecord {
  id: string;
  post: PostRef;
  invitedBy: Actor;
  deviceTime: number;
}

/** What a device writes into a record it makes: its estimate of server time at the act. */
/** ATT-1 */
export interface Attested {
  /** Estimated server time of the act (ms since epoch). */
  at: number;
  /** Half-width of the estimate (ms): the act happened within `at ± uncertaintyMs` of server time. */
  uncertaintyMs: number;
  /** Server time of the anchor the estimate starts from (the device's last durable acknowledgement). */
  anchorAt: number;
  /**
   * `monotonic`: anchor + the device's monotonic clock since (the app ran throughout); `restart`: the app restarted
   * since the anchor, so the device clock corrected by the skew measured at the anchor (wider uncertainty).
   */
  chain: 'monotonic' | 'restart';
}

export interface SignOffRecord {
  id: string;
  invitationId: string;
  postId: string;
  by: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time at the sign-off (absent on records of older devices). */
  attested?: Attested;
}

/** PHOTO-1: a photo on a finding, by content (SHA-256 of the downscaled bytes); the bytes live on the server. */
export interface PhotoRef {
  /** Lowercase hex SHA-256 of the image bytes. */
  hash: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  width: number;
  height: number;
}

/** LOC-1: where a finding was made (WGS84 degrees, accuracy in metres). */
export interface GeoPoint {
  lat: number;
  lon: number;
  accuracy: number;
}

export interface FindingEntry {
  id: string;
  type: 'finding';
  text: string;
  author: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time when the finding was made. */
  attested?: Attested;
  /** Absent on findings without photos (and on every record made before photos existed). */
  photos?: PhotoRef[];
  location?: GeoPoint;
}

/** Who an instruction or a task is addressed to: a post (whoever is on duty there) or a person. */
export interface Addressee {
  kind: 'post' | 'person';
  id: string;
  name: string;
}

/** INS-1: a leader's instruction (批示), addressed to posts or persons. */
export interface InstructionEntry {
  id: string;
  type: 'instruction';
  text: string;
  to: Addressee[];
  author: Actor;
  /** The leader post the author gives it from, if any. */
  postId: string | null;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time when it was given. */
  attested?: Attested;
}

/** CLUE-1: a finding pushed to patrol officers of the target units (线索推送). */
export interface ClueEntry {
  id: string;
  type: 'clue';
  text: string;
  targetUnitIds: string[];
  author: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time when it was pushed. */
  attested?: Attested;
}

/** TASK-1: a matter to be seen through (事事见底), assigned to a post or a person. */
export interface TaskEntry {
  id: string;
  type: 'task';
  title: string;
  assignee: Addressee;
  /** Due time (ms since epoch) or null. */
  due: number | null;
  author: Actor;
  deviceTime: number;
}

export type FieldValue = string | number;

/** APR-1: a one-form approval request (一表通审). */
export interface ApprovalEntry {
  id: string;
  type: 'approval';
  approvalType: string;
  typeName: string;
  values: Record<string, FieldValue>;
  author: Actor;
  deviceTime: number;
}

export type Entry = FindingEntry | InstructionEntry | ClueEntry | TaskEntry | ApprovalEntry;

export interface SupervisionRecord {
  id: string;
  postId: string;
  by: Actor;
  deviceTime: number;
}

export interface AckRecord {
  id: string;
  entryId: string;
  kind: 'seen' | 'ack';
  by: Actor;
  /** The post the person acts for, if any. */
  postId: string | null;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time at the acknowledgement. */
  attested?: Attested;
}

/** REMIND-1: 催办, a re-notification of a clue (to recipients who have not acknowledged) or an invitation. */
export interface ReminderRecord {
  id: string;
  refKind: 'clue' | 'invitation';
  /** The clue's entry id or the invitation's id. */
  refId: string;
  by: Actor;
  deviceTime: number;
  attested?: Attested;
}

export interface TaskEventRecord {
  id: string;
  taskId: string;
  kind: 'done' | 'waived';
  /** The note (done) or the reason (waived). */
  text: string;
  by: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time at the outcome. */
  attested?: Attested;
}

export interface DecisionRequestRecord {
  id: string;
  approvalId: string;
  decision: 'approve' | 'reject';
  comment: string;
  by: Actor;
  postId: string;
  deviceTime: number;
}

export interface CloseRequestRecord {
  id: string;
  summary: string;
  by: Actor;
  /** The management post the person acts for, or null when closing as the initiator. */
  postId: string | null;
  deviceTime: number;
}

/** ESC-1: written by the relay when an invitation's deadline passed without an on-time sign-off. */
export interface OverdueEvent {
  id: string;
  type: 'overdue';
  invitationId: string;
  postId: string;
  /** The leader post it was escalated to, or null when the directory has none above the group's unit. */
  escalatedToPostId: string | null;
  deadline: number;
  at: number;
}

export type ServerEvent = OverdueEvent;

/** APR-3: an approval decision, written by the relay on a leader's behalf. */
export interface DecisionRecord {
  approvalId: string;
  requestId: string;
  decision: 'approve' | 'reject';
  comment: string;
  by: Actor;
  postId: string;
  at: number;
}

/** CLOSE-3: the closure of a group, written by the relay. */
export interface ClosureRecord {
  requestId: string;
  summary: string;
  by: Actor;
  postId: string | null;
  at: number;
  /** Closure deadline (server time), null when the group record had no server stamp. */
  deadline: number | null;
  timely: boolean;
}

/** LATE-3: a request to seal a closed group (by a leader or the management desk). */
export interface SealRequestRecord {
  id: string;
  by: Actor;
  /** The leader or management post the person acts for, or null as the initiator. */
  postId: string | null;
  deviceTime: number;
}

/** REVIEW-3: a lesson of the post-incident review (复盘), signed by its author and stamped by the server. */
export interface LessonRecord {
  id: string;
  text: string;
  author: Actor;
  deviceTime: number;
}

/** LATE-3: the seal of a closed group, written by the relay: afterwards nothing more is accepted. */
export interface SealRecord {
  requestId: string;
  by: Actor;
  postId: string | null;
  at: number;
}

/** Key of the seal record inside `server:seal`. */
export const SEAL_KEY = 'seal';

/** Key of the closure record inside `server:closure`. */
export const CLOSURE_KEY = 'closure';

export type RecordMap = Y.Map<unknown>;

export function rootMap(doc: Y.Doc, name: string): RecordMap {
  return doc.getMap<unknown>(name);
}

export function stampsMap(doc: Y.Doc): Y.Map<Stamp> {
  return doc.getMap<Stamp>(Root.stamps);
}

/** Defines every root type of a group document with its real type, before updates arrive. */
export function defineRoots(doc: Y.Doc): void {
  for (const name of Object.values(Root)) doc.getMap(name);
}
