export { MessageType, encodeAck, readAck, encodeNotice, readNotice } from './messages.ts';
export type { Ack, Notice, NoticeKind } from './messages.ts';
export { CloseCode } from './closeCodes.ts';
export { encodeSyncProgress, readSyncProgress } from './syncProgress.ts';
export { splitUpdateInOrder } from './updateParts.ts';
export type { SyncProgress } from './syncProgress.ts';
export { SERVER_ROOT_PREFIX, STAMPS_ROOT, stampKey, isStamp } from './stamps.ts';
export type { Stamp } from './stamps.ts';
export {
  EVENTS_ROOT,
  DECISIONS_ROOT,
  CLOSURE_ROOT,
  REFUSALS_ROOT,
  SEAL_ROOT,
  HOLD_ROOT,
  RECEIPTS_ROOT,
  INBOX_ROOT,
  INBOX_STALE,
  ANSWERS_ROOT,
  RECIPIENTS_ROOT,
  inboxDocName,
  parseInboxDocName,
} from './roots.ts';
export { TOKEN_PARAM, SYNC_PATH, groupDocName, parseDocName } from './tokens.ts';
export type { TokenClaims } from './tokens.ts';
export { HttpError } from './httpError.ts';
export type {
  LoginRequest,
  LoginResponse,
  MeResponse,
  HealthResponse,
  ClockResponse,
  RevokeResponse,
  PhotoPutResponse,
  DevicePolicyResponse,
  RefreshRequest,
  Person,
  UnitInfo,
  PostInfo,
  PostKind,
  DirectoryResponse,
  DirectoryPerson,
  OnDutyInfo,
  DutyRequest,
  DutyResponse,
  TemplatesResponse,
  AssistantResponse,
  ApprovalTypesResponse,
  GroupSummary,
  GroupListStatus,
  OpenInvitation,
  GroupListResponse,
  InboxArchiveEntry,
  InboxArchiveResponse,
  ApiError,
} from './api.ts';
export type {
  AuditCheckpoint,
  AuditEntry,
  AuditHeadResponse,
  AuditListResponse,
  RecordReadAct,
  RecordReadRequest,
} from './audit.ts';
export { ReadAction } from './audit.ts';
export { DRILL_FIGURES } from './stats.ts';
export type {
  DrillFigure,
  Figures,
  GroupStatsRow,
  OnDutyFigures,
  RankRow,
  SignOffFigures,
  StatsFiguresResponse,
  StatsGroupsResponse,
  StatsQueryEcho,
  StatsRankingResponse,
  StatsScopeResponse,
  StatsScopeWire,
  StatsTrendResponse,
  TrendBucket,
  TrendPoint,
} from './stats.ts';
