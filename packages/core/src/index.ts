export { CommandError } from './errors.ts';
export { Root, META_KEY, STAMPED_COLLECTIONS, rootMap, stampsMap, defineRoots } from './schema.ts';
export type {
  Actor,
  Entry,
  FindingEntry,
  GroupKind,
  GroupMeta,
  IncidentInfo,
  InvitationRecord,
  PostKind,
  PostRef,
  SignOffRecord,
  StampedCollection,
} from './schema.ts';
export { startGroup, readMeta } from './group.ts';
export type { StartGroupInput } from './group.ts';
export { addFinding, timeline, entryCount, MAX_FINDING_LENGTH } from './timeline.ts';
export type { AddFindingInput, TimelineItem } from './timeline.ts';
export { invitePost, signOff, invitationViews } from './invitations.ts';
export type { InvitePostInput, SignOffInput, InvitationStatus, InvitationView, SignOffView } from './invitations.ts';
export { DEFAULT_DEADLINE_MINUTES, MINUTE, deadlineOf, isOnTime } from './sla.ts';
export { stampOf, unstampedRefs, changedRefs, stampRecords } from './stamps.ts';
export type { RecordRef } from './stamps.ts';
export { compareRecords } from './order.ts';
export type { Orderable } from './order.ts';
export { pendingRecordCount, isFullyAcked, decodeAckedVector } from './syncState.ts';
