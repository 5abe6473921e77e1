/**
 * The parsers of records read from a document, derived from their one description (recordShapes.ts). Anything a
 * device wrote is untrusted: a record that does not parse (null) is left out of every view instead of breaking it.
 */
import {
  AckShape,
  ActorShape,
  AddresseeShape,
  AttestedShape,
  CloseRequestShape,
  ClosureShape,
  DecisionRequestShape,
  DecisionShape,
  EntryShape,
  GeoPointShape,
  GroupMetaShape,
  HoldRequestShape,
  HoldShape,
  InvitationShape,
  LessonShape,
  OverdueEventShape,
  PHOTO_HASH,
  PhotoRefShape,
  PostRefShape,
  ReminderShape,
  SealRequestShape,
  SealShape,
  SignOffShape,
  SupervisionShape,
  TaskEventShape,
} from './recordShapes.ts';
import { isObj, parser } from './shape.ts';
import type { Attested } from './schema.ts';

export { MAX_PHOTOS_PER_FINDING, PHOTO_MIME_TYPES } from './recordShapes.ts';
export { isId, isMinutes, isObj, isStr, isTime } from './shape.ts';

const parseAttestedValue = parser(AttestedShape);
/** The attested time of a raw record (`attested` field), or null when absent or malformed (ATT-1). */
export function parseAttested(v: unknown): Attested | null {
  return isObj(v) ? parseAttestedValue(v['attested']) : null;
}

/** A photo name: lowercase hex SHA-256 (also the server's file name, so nothing else ever reaches a path). */
export const isPhotoHash = (v: unknown): v is string => typeof v === 'string' && PHOTO_HASH.test(v);

export const parseActor = parser(ActorShape);
export const parseMeta = parser(GroupMetaShape);
export const parsePostRef = parser(PostRefShape);
export const parseInvitation = parser(InvitationShape);
export const parseSignOff = parser(SignOffShape);
/** PHOTO-1: a photo reference; null when any field is missing or out of range. */
export const parsePhotoRef = parser(PhotoRefShape);
/** LOC-1: a position; null when out of range. */
export const parseGeoPoint = parser(GeoPointShape);
export const parseAddressee = parser(AddresseeShape);
/** Any timeline entry; an entry of an unknown type or a bad shape is left out (null). */
export const parseEntry = parser(EntryShape);
export const parseSupervision = parser(SupervisionShape);
export const parseAck = parser(AckShape);
/** REMIND-1 */
export const parseReminder = parser(ReminderShape);
export const parseTaskEvent = parser(TaskEventShape);
export const parseDecisionRequest = parser(DecisionRequestShape);
export const parseCloseRequest = parser(CloseRequestShape);
export const parseOverdueEvent = parser(OverdueEventShape);
export const parseDecision = parser(DecisionShape);
export const parseSealRequest = parser(SealRequestShape);
/** REVIEW-3: a lesson is 1–4,000 characters of text (not blank). */
export const parseLesson = parser(LessonShape);
export const parseSeal = parser(SealShape);
/** KEEP-2 */
export const parseHoldRequest = parser(HoldRequestShape);
export const parseHold = parser(HoldShape);
export const parseClosure = parser(ClosureShape);
