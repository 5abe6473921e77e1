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
  HOLD_ROOT,
  STAMPS_ROOT,
} from '@muster/protocol';
import type { Stamp } from '@muster/protocol';
import type {
  AckShape,
  ActorShape,
  AddresseeShape,
  ApprovalShape,
  AttestedShape,
  CloseRequestShape,
  ClosureShape,
  ClueShape,
  DecisionRequestShape,
  DecisionShape,
  FieldValueShape,
  FindingShape,
  GeoPointShape,
  GroupMetaShape,
  HoldRequestShape,
  HoldShape,
  GROUP_KINDS,
  IncidentShape,
  InstructionShape,
  InvitationShape,
  LessonShape,
  OverdueEventShape,
  PhotoRefShape,
  POST_KINDS,
  PostRefShape,
  REMINDER_KINDS,
  ReminderShape,
  SealRequestShape,
  SealShape,
  SignOffShape,
  SupervisionShape,
  TaskEventShape,
  TaskShape,
} from './recordShapes.ts';
import type { Infer } from './shape.ts';

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
  /** A leader's requests to place or lift a legal hold on the group (KEEP-2). */
  holdRequests: 'holdRequests',
  stamps: STAMPS_ROOT,
  events: EVENTS_ROOT,
  decisions: DECISIONS_ROOT,
  closure: CLOSURE_ROOT,
  /** The relay's refusals of requests (REQ-1), keyed `<collection>/<id>`. */
  refusals: REFUSALS_ROOT,
  /** The seal of a closed group (LATE-3). */
  seal: SEAL_ROOT,
  /** Accepted legal holds, placed or lifted (KEEP-2), keyed by request id. */
  hold: HOLD_ROOT,
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
  Root.holdRequests,
] as const;
export type StampedCollection = (typeof STAMPED_COLLECTIONS)[number];

/** Key of the group record inside the `meta` map. */
export const META_KEY = 'group';

// The record types derive from their one description in recordShapes.ts (fields, kinds and caps).
export type Actor = Infer<typeof ActorShape>;
export type GroupKind = (typeof GROUP_KINDS)[number];
export type IncidentInfo = Infer<typeof IncidentShape>;
export type GroupMeta = Infer<typeof GroupMetaShape>;
export type PostKind = (typeof POST_KINDS)[number];
export type PostRef = Infer<typeof PostRefShape>;
export type InvitationRecord = Infer<typeof InvitationShape>;
/** ATT-1 */
export type Attested = Infer<typeof AttestedShape>;
export type SignOffRecord = Infer<typeof SignOffShape>;
export type PhotoRef = Infer<typeof PhotoRefShape>;
export type GeoPoint = Infer<typeof GeoPointShape>;
export type FindingEntry = Infer<typeof FindingShape>;
export type Addressee = Infer<typeof AddresseeShape>;
export type InstructionEntry = Infer<typeof InstructionShape>;
export type ClueEntry = Infer<typeof ClueShape>;
export type TaskEntry = Infer<typeof TaskShape>;
export type FieldValue = Infer<typeof FieldValueShape>;
export type ApprovalEntry = Infer<typeof ApprovalShape>;
export type Entry = FindingEntry | InstructionEntry | ClueEntry | TaskEntry | ApprovalEntry;
export type SupervisionRecord = Infer<typeof SupervisionShape>;
export type AckRecord = Infer<typeof AckShape>;
export type ReminderRecord = Infer<typeof ReminderShape>;
/** What a 催办 refers to (REMIND-1, REMIND-4). */
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export type TaskEventRecord = Infer<typeof TaskEventShape>;
export type DecisionRequestRecord = Infer<typeof DecisionRequestShape>;
export type CloseRequestRecord = Infer<typeof CloseRequestShape>;
export type OverdueEvent = Infer<typeof OverdueEventShape>;
export type ServerEvent = OverdueEvent;
export type DecisionRecord = Infer<typeof DecisionShape>;
export type ClosureRecord = Infer<typeof ClosureShape>;
export type SealRequestRecord = Infer<typeof SealRequestShape>;
export type LessonRecord = Infer<typeof LessonShape>;
export type SealRecord = Infer<typeof SealShape>;
/** KEEP-2 */
export type HoldRequestRecord = Infer<typeof HoldRequestShape>;
export type HoldRecord = Infer<typeof HoldShape>;

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
