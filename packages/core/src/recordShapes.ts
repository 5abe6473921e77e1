/**
 * The one description of every record of a group document: its fields, their kinds and their caps. The record
 * types (`schema.ts`) and the parsers (`validate.ts`) both derive from these shapes. Anything a device wrote is
 * untrusted: a record that does not fit its shape is left out of every view, and the relay refuses it (POL-2).
 */
import {
  bool,
  dict,
  either,
  id,
  int,
  list,
  literal,
  nullable,
  num,
  object,
  oneOf,
  optional,
  orNull,
  pattern,
  refine,
  text,
  time,
  variants,
} from './shape.ts';

// Kinds: each list is the one place its values are named.
export const GROUP_KINDS = ['incident', 'task'] as const;
export const POST_KINDS = ['management', 'support', 'leader'] as const;
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const ATTESTED_CHAINS = ['monotonic', 'restart'] as const;
export const ADDRESSEE_KINDS = ['post', 'person'] as const;
export const ACK_KINDS = ['seen', 'ack'] as const;
export const REMINDER_KINDS = ['clue', 'invitation', 'instruction'] as const;
export const TASK_EVENT_KINDS = ['done', 'waived'] as const;
export const DECISIONS = ['approve', 'reject'] as const;

// Sizes: field caps (POL-16 caps whole records in policy/records.ts).
export const MAX_PHOTOS_PER_FINDING = 10;
const NAME = 200;
const LONG_TEXT = 20_000;
const NOTE = 5_000;

/** A person as a record names them. */
export const ActorShape = object({ personId: id, name: text(NAME) });

/**
 * ATT-1: what a device writes into a record it makes: its estimate of server time at the act. `at` is the estimate,
 * `uncertaintyMs` the half-width (the act happened within `at ± uncertaintyMs`), `anchorAt` the server time of the
 * device's last durable acknowledgement the estimate starts from. `chain` `monotonic`: anchor + the monotonic clock
 * since (the app ran throughout); `restart`: the device clock corrected by the skew measured at the anchor.
 */
export const AttestedShape = object({
  at: time,
  uncertaintyMs: time,
  anchorAt: time,
  chain: oneOf(ATTESTED_CHAINS),
});
/** An ATT-1 attested time on a record: a malformed one is left out, the record stays. */
const attested = optional(AttestedShape, { lenient: true });

/** The incident of an incident group; `reportedAt` is the device time it was reported, if known. */
export const IncidentShape = object({
  number: text(100),
  type: text(100),
  address: text(500),
  reportedAt: orNull(time),
});

/** The group record (key `group` in `meta`); `templateId` names the template it was started from (TPL-1). */
export const GroupMetaShape = object({
  id,
  kind: oneOf(GROUP_KINDS),
  title: text(500),
  incident: orNull(IncidentShape),
  unitId: text(64),
  initiator: ActorShape,
  deviceTime: time,
  templateId: optional(id, { lenient: true }),
});

export const PostRefShape = object({
  id,
  name: text(NAME),
  unitId: text(64),
  unitName: text(NAME),
  kind: oneOf(POST_KINDS),
});

/** POL-15: a deadline a client writes (`deadlineMinutes`, any value) is dropped: the server's policy sets it. */
export const InvitationShape = object({ id, post: PostRefShape, invitedBy: ActorShape, deviceTime: time });

export const SignOffShape = object({ id, invitationId: id, postId: id, by: ActorShape, deviceTime: time, attested });

/** A photo name: lowercase hex SHA-256 (also the server's file name, so nothing else ever reaches a path). */
export const PHOTO_HASH = /^[0-9a-f]{64}$/;

/** PHOTO-1: a photo on a finding, by content (SHA-256 of the downscaled bytes); the bytes live on the server. */
export const PhotoRefShape = object({
  hash: pattern(PHOTO_HASH),
  mime: oneOf(PHOTO_MIME_TYPES),
  size: int(1, 100 * 1024 * 1024),
  width: int(1, 20_000),
  height: int(1, 20_000),
});

/** LOC-1: where a finding was made (WGS84 degrees, accuracy in metres). */
export const GeoPointShape = object({ lat: num(-90, 90), lon: num(-180, 180), accuracy: num(0, 1_000_000) });

/** Who an instruction or a task is addressed to: a post (whoever is on duty there) or a person. */
export const AddresseeShape = object({ kind: oneOf(ADDRESSEE_KINDS), id, name: text(NAME) });

/** A finding; records made before photos and locations existed have neither field and stay valid. */
export const FindingShape = object({
  id,
  type: literal('finding'),
  text: text(LONG_TEXT),
  author: ActorShape,
  deviceTime: time,
  photos: optional(list(PhotoRefShape, MAX_PHOTOS_PER_FINDING), { omitEmpty: true }),
  location: optional(GeoPointShape),
  attested,
});

/** INS-1: a leader's instruction (批示), addressed to posts or persons; `postId` is the leader post it is given from. */
export const InstructionShape = object({
  id,
  type: literal('instruction'),
  text: text(LONG_TEXT),
  to: list(AddresseeShape, 100, 1),
  author: ActorShape,
  postId: nullable(id),
  deviceTime: time,
  attested,
});

/** CLUE-1: a finding pushed to patrol officers of the target units (线索推送). */
export const ClueShape = object({
  id,
  type: literal('clue'),
  text: text(LONG_TEXT),
  targetUnitIds: list(id, 100, 1),
  author: ActorShape,
  deviceTime: time,
  attested,
});

/** TASK-1: a matter to be seen through (事事见底), assigned to a post or a person; `due` in ms since epoch. */
export const TaskShape = object({
  id,
  type: literal('task'),
  title: text(2_000),
  assignee: AddresseeShape,
  due: nullable(time),
  author: ActorShape,
  deviceTime: time,
  attested,
});

export const FieldValueShape = either(text(NOTE), num(-Infinity, Infinity));

/** APR-1: a one-form approval request (一表通审). */
export const ApprovalShape = object({
  id,
  type: literal('approval'),
  approvalType: id,
  typeName: text(NAME),
  values: dict(FieldValueShape, 50),
  author: ActorShape,
  deviceTime: time,
  attested,
});

/** Any timeline entry (`entries` root), by its `type`. */
export const EntryShape = variants('type', {
  finding: FindingShape,
  instruction: InstructionShape,
  clue: ClueShape,
  task: TaskShape,
  approval: ApprovalShape,
});

/** SUP-1: a leader following the group. */
export const SupervisionShape = object({ id, postId: id, by: ActorShape, deviceTime: time });

/** INS-2, CLUE-2: a seen / acknowledged marker; `postId` is the post the person acts for, if any. */
export const AckShape = object({
  id,
  entryId: id,
  kind: oneOf(ACK_KINDS),
  by: ActorShape,
  postId: nullable(id),
  deviceTime: time,
  attested,
});

/**
 * REMIND-1: 催办, a re-notification of a clue (`refId` its entry id), an invitation (its id) or an instruction (its
 * entry id, REMIND-4).
 */
export const ReminderShape = object({
  id,
  refKind: oneOf(REMINDER_KINDS),
  refId: id,
  by: ActorShape,
  deviceTime: time,
  attested,
});

/** TASK-2: a task's outcome; `text` is the note (done) or the reason (waived). */
export const TaskEventShape = object({
  id,
  taskId: id,
  kind: oneOf(TASK_EVENT_KINDS),
  text: text(NOTE),
  by: ActorShape,
  deviceTime: time,
  attested,
});

/** APR-3: a leader's decision on an approval, as asked of the relay. */
export const DecisionRequestShape = object({
  id,
  approvalId: id,
  decision: oneOf(DECISIONS),
  comment: text(NOTE),
  by: ActorShape,
  postId: id,
  deviceTime: time,
});

/** CLOSE-1: a request to close; `postId` is the management post acted for, or null as the initiator. */
export const CloseRequestShape = object({
  id,
  summary: text(LONG_TEXT),
  by: ActorShape,
  postId: nullable(id),
  deviceTime: time,
});

/**
 * ESC-1: written by the relay when an invitation's deadline passed without an on-time sign-off;
 * `escalatedToPostId` is null when the directory has no leader post above the group's unit.
 */
export const OverdueEventShape = object({
  id: text(NAME),
  type: literal('overdue'),
  invitationId: id,
  postId: id,
  escalatedToPostId: nullable(id),
  deadline: time,
  at: time,
});

/** APR-3: an approval decision, written by the relay on a leader's behalf. */
export const DecisionShape = object({
  approvalId: id,
  requestId: id,
  decision: oneOf(DECISIONS),
  comment: text(NOTE),
  by: ActorShape,
  postId: id,
  at: time,
});

/** LATE-3: a request to seal a closed group (by a leader or the management desk, or null as the initiator). */
export const SealRequestShape = object({ id, by: ActorShape, postId: nullable(id), deviceTime: time });

/** KEEP-2: a leader asks to place (`on`) or lift a legal hold, with a reason, from a leader post. */
export const HoldRequestShape = object({
  id,
  on: bool,
  reason: refine(text(500), (t) => t.trim() !== ''),
  by: ActorShape,
  postId: id,
  deviceTime: time,
});

/** KEEP-2: an accepted hold request as the relay recorded it, with its server time. */
export const HoldShape = object({ requestId: id, on: bool, reason: text(500), by: ActorShape, postId: id, at: time });

/** REVIEW-3: a lesson of the post-incident review (复盘): 1–4,000 characters, not blank. */
export const LessonShape = object({
  id,
  text: refine(text(4_000), (t) => t.trim() !== ''),
  author: ActorShape,
  deviceTime: time,
});

/** LATE-3: the seal of a closed group, written by the relay: afterwards nothing more is accepted. */
export const SealShape = object({ requestId: id, by: ActorShape, postId: nullable(id), at: time });

/**
 * CLOSE-3: the closure of a group, written by the relay; `deadline` (server time) is null when the group record had
 * no server stamp.
 */
export const ClosureShape = object({
  requestId: id,
  summary: text(LONG_TEXT),
  by: ActorShape,
  postId: nullable(id),
  at: time,
  deadline: nullable(time),
  timely: bool,
});
