export { CommandError, COMMAND_ERROR_CODES } from './errors.ts';
export type { CommandErrorCode } from './errors.ts';
export {
  Root,
  META_KEY,
  CLOSURE_KEY,
  SEAL_KEY,
  STAMPED_COLLECTIONS,
  rootMap,
  stampsMap,
  defineRoots,
} from './schema.ts';
export type {
  AckRecord,
  Actor,
  Attested,
  Addressee,
  ApprovalEntry,
  ClosureRecord,
  ClueEntry,
  CloseRequestRecord,
  ReminderKind,
  HoldRecord,
  HoldRequestRecord,
  ReminderRecord,
  DecisionRecord,
  DecisionRequestRecord,
  FieldValue,
  InstructionEntry,
  OverdueEvent,
  ServerEvent,
  SupervisionRecord,
  TaskEntry,
  TaskEventRecord,
  Entry,
  FindingEntry,
  GeoPoint,
  PhotoRef,
  GroupKind,
  GroupMeta,
  IncidentInfo,
  InvitationRecord,
  PostKind,
  PostRef,
  SealRecord,
  SealRequestRecord,
  LessonRecord,
  SignOffRecord,
  StampedCollection,
} from './schema.ts';
export { startGroup, readMeta } from './group.ts';
export { remind, remindersOf, reminderDeliveries, reminderRef, reminderRefAuthor } from './reminders.ts';
export type { RemindInput, ReminderRef } from './reminders.ts';
export type { StartGroupInput } from './group.ts';
export { addFinding, timeline, entryCount, isEntryAt, MAX_FINDING_LENGTH } from './timeline.ts';
export { MAX_PHOTOS_PER_FINDING, PHOTO_MIME_TYPES, isPhotoHash, parseGeoPoint, parsePhotoRef } from './validate.ts';
export type { AddFindingInput, TimelineItem } from './timeline.ts';
export { invitePost, signOff, invitationViews } from './invitations.ts';
export { listStatusOf } from './listStatus.ts';
export type { InvitePostInput, SignOffInput, InvitationStatus, InvitationView, SignOffView } from './invitations.ts';
export { DEFAULT_DEADLINE_MINUTES, MINUTE, deadlineOf, isOnTime } from './sla.ts';
export { stampOf, unstampedRefs, changedRefs, stampRecords } from './stamps.ts';
export type { RecordRef } from './stamps.ts';
export { compareRecords } from './order.ts';
export type { Orderable } from './order.ts';
export { pendingRecordCount, isFullyAcked, decodeAckedVector, relayedStateVector } from './syncState.ts';
export { stampedRecords, isAfterClosure, readClosure, isClosed, assertOpen } from './records.ts';
export type { Stamped } from './records.ts';
export { Directory, UNIT_KINDS, ROLES, POST_KINDS, DUTY_LEADER_CAPABILITY } from './directory.ts';
export type { Unit, UnitKind, Post, Person, Role, OnDuty, DirectoryData } from './directory.ts';
export { SECTIONS, directoryFromObject, directoryFromRows } from './directoryImport.ts';
export type { DirectoryRow, ImportError, ImportResult, Section } from './directoryImport.ts';
export {
  INCIDENT_TYPES,
  DEFAULT_CLOSURE_DEADLINE_MINUTES,
  expandTemplate,
  parseTemplates,
  templateFor,
} from './templates.ts';
export type {
  IncidentType,
  GroupTemplate,
  TemplatePostSpec,
  RelativeSpec,
  UnitSpec,
  PostSpec,
  RelativeBase,
  ExpandedPost,
  ExpandedTemplate,
  TemplateError,
} from './templates.ts';
export { startGroupFromTemplate } from './oneTap.ts';
export type { StartFromTemplateInput } from './oneTap.ts';
export { overdueToEscalate, recordEscalations, nextDeadline, serverEvents, overdueEventId } from './escalation.ts';
export type { EscalationDue } from './escalation.ts';
export { acknowledge, acksByEntry, summariseAcks } from './acks.ts';
export type { AcknowledgeInput, AckSummary } from './acks.ts';
export { supervise, supervisors, giveInstruction, instructionViews } from './instructions.ts';
export type { SuperviseInput, GiveInstructionInput, AddresseeView, InstructionView } from './instructions.ts';
export {
  pushClue,
  clueRecipients,
  clueRecipientsIn,
  clueViews,
  unitClueRecipients,
  parseClueRecipients,
  readClueRecipients,
  recordClueRecipients,
} from './clues.ts';
export type { ClueRecipient, ClueRecipientsRecord } from './clues.ts';
export { distinctUnitNames } from './unitNames.ts';
export type { NameLanguage } from './unitNames.ts';
export type { PushClueInput, ClueView } from './clues.ts';
export { addTask, completeTask, waiveTask, taskViews } from './tasks.ts';
export type { AddTaskInput, TaskOutcomeInput, TaskState, TaskView } from './tasks.ts';
export {
  DEFAULT_APPROVAL_TYPES,
  parseApprovalTypes,
  validateApprovalFields,
  ApprovalFieldsError,
  requestApproval,
  requestDecision,
  readDecision,
  mayDecide,
  judgeDecisionRequests,
  recordDecisions,
  approvalViews,
} from './approvals.ts';
export type {
  ApprovalFieldDef,
  ApprovalType,
  ApprovalTypeError,
  FieldError,
  RequestApprovalInput,
  DecideInput,
  DecisionVerdict,
  ApprovalView,
} from './approvals.ts';
export { canClose, mayClose, requestClose, closureDeadline, judgeCloseRequests, recordClosure } from './closure.ts';
export type { CloseRefusal, RequestCloseInput, CloseVerdict } from './closure.ts';
export { groupRecord } from './groupRecord.ts';
export type { GroupRecord } from './groupRecord.ts';
export {
  InboxRoot,
  inboxItemId,
  parseInboxItem,
  addInboxItems,
  markRead,
  inboxItems,
  unreadCount,
  inboxDeliveries,
  defineInboxRoots,
} from './inbox.ts';
export type { InboxKind, InboxItem, ReadMarker, InboxEntry, Delivery, DeliveryScope } from './inbox.ts';
export {
  INBOX_KEEP_MS,
  INBOX_STALE_MS,
  inboxItemSettled,
  inboxGroupState,
  inboxGroupIds,
  planInboxArchive,
  freshInboxState,
} from './inboxArchive.ts';
export type { InboxGroupState, InboxArchivePolicy, ArchivedEntry, InboxArchivePlan } from './inboxArchive.ts';
export { groupAddressees } from './addressees.ts';
export type { AddresseeScope, GroupAddressees } from './addressees.ts';
export { readRefusal, recordRefusals, refusalKey } from './refusals.ts';
export type { RefusalRecord } from './refusals.ts';
export { idCheckDigit, isValidResidentId, findEntities, PLATE_PROVINCES } from './lookup/entities.ts';
export type { EntityKind, FoundEntity } from './lookup/entities.ts';
export { INTENTS, isIntent } from './lookup/intents.ts';
export type { Intent } from './lookup/intents.ts';
export { parseQuestion, normaliseQuestion, RECORD_INTENTS } from './lookup/parser.ts';
export type { LookupQuery, ParseContext, ParseResult, Subject, SubjectKind } from './lookup/parser.ts';
export {
  READ_ONLY_ROLES,
  hasReadOnlyRole,
  onlyReadOnlyRoles,
  onDuty,
  oversees,
  isLeaderOf,
  actsAsOverseeingLeader,
  actsAsGroupLeader,
  managementPostsOf,
  isGroupLeaderPost,
  isInvitedManagementPost,
  awaitedClosers,
  awaitedInviters,
  awaitedDeciders,
  runsGroup,
  mayOpen,
  mayStart,
  mayInvite,
  mayRemind,
  maySign,
  maySupervise,
  mayInstruct,
  mayAcknowledge,
  mayPushClue,
  clueTargetUnits,
  clueRecipientIds,
  mayAssignTask,
  mayCompleteTask,
  mayWaiveTask,
  mayRequestApproval,
  mayDecideApproval,
  mayCloseGroup,
  maySeal,
  mayHold,
  mayWriteLesson,
  directoryScope,
  mayReadAudit,
  mayAdminister,
  RECORD_RULES,
  INBOX_RECORD_ROOTS,
  recordRule,
  mayWriteRecord,
  DEFAULT_DEADLINE_POLICY,
  signOffMinutes,
  closureMinutes,
  groupFactsOf,
  supervisingPostsOf,
  DATA_SUPPORT_CAPABILITY,
  REVEAL_CLEARANCE,
  lookupClearance,
  mayQuerySource,
  mayRevealLookup,
  mayPushLookup,
  deadlinePolicyFromTemplates,
  incidentTypeOf,
} from './policy.ts';
export type {
  ActingPerson,
  GroupFacts,
  Awaited,
  Verdict,
  OpenMode,
  WriteContext,
  RecordRule,
  DeadlinePolicy,
  LookupClearance,
  SourceRule,
} from './policy.ts';
export { factsMayChange, statsFacts } from './statsFacts.ts';
export type { StatsFacts, InvitationFact, SignVerdict, VerdictBasis } from './statsFacts.ts';
export { statsScope, mayReadUnitStats } from './statsAccess.ts';
export type { StatsScope, StatsReader } from './statsAccess.ts';
export { readSeal, requestSeal, judgeSealRequests, recordSeal } from './seal.ts';
export type { RequestSealInput, SealVerdict } from './seal.ts';
export { currentHold, holdHistory, recordHolds, requestHold } from './hold.ts';
export type { RequestHoldInput } from './hold.ts';
export { AFTER_CLOSURE_COLLECTIONS, mayArriveLate, readReceipt, recordReceipts } from './late.ts';
export { readLessons, writeLesson } from './lessons.ts';
export type { WriteLessonInput } from './lessons.ts';
export type { ClosureReceipt } from './late.ts';
export { maskValue, parseAnswer, parseQuery, readAnswer, recordAnswer } from './lookup/answers.ts';
export { acceptModelQuery } from './lookup/modelReading.ts';
export { herePlaces, latestFindingPoint, parsePointValue, pointValue } from './lookup/place.ts';
export type { Place } from './lookup/place.ts';
export type { AnswerField, AnswerRecord, AnswerResult, AnswerRow, AnswerStatus, LocalName } from './lookup/answers.ts';
export {
  MAX_QUESTION_LENGTH,
  acknowledgePush,
  askQuestion,
  lastPersonBefore,
  lookupDeliveries,
  lookupThread,
  parseLookupPush,
  parseQuestionRecord,
  pushLookupAnswer,
  readQuestion,
  unansweredQuestions,
} from './lookup/thread.ts';
export type { AskInput, LookupPushRecord, PushInput, PushView, QuestionRecord, ThreadItem } from './lookup/thread.ts';
export { ATTEST_MAX_UNCERTAINTY_MS, judgeAttested, lastContactOf, whenDone } from './attested.ts';
export type { AttestedJudgement } from './attested.ts';
export { parseAttested } from './validate.ts';
export { attestedVerdicts } from './attestedVerdicts.ts';
export type { AttestedVerdict } from './attestedVerdicts.ts';
export { withdrawnEscalations } from './withdrawn.ts';
export type { WithdrawnEscalation } from './withdrawn.ts';
export { groupReview } from './review.ts';
export type { GroupReview, Milestone, MilestoneKind, ReviewSignOff } from './review.ts';
export { seededRandom } from './seededRandom.ts';
export { addChanges, changedRecords, touchesAny, UNKNOWN_ROOT } from './changes.ts';
export type { ChangedKeys, ReadonlyChangedKeys } from './changes.ts';
