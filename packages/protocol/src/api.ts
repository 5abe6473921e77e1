/** HTTP API shapes shared by the server and the web app. */

export interface LoginRequest {
  policeNo: string;
  password: string;
}

export interface Person {
  id: string;
  name: string;
  policeNo: string;
  unitId: string;
  roles: string[];
  /** Posts this person is on duty at. */
  postIds: string[];
  /** Posts this person holds (may go on duty at with `POST /api/duty`). */
  heldPostIds?: string[];
}

export interface LoginResponse {
  token: string;
  /** Expiry of the token, ms since epoch (server time). */
  expiresAt: number;
  person: Person;
  serverTime: number;
  /** AUTH-3: opaque refresh token for `POST /api/refresh` (rotating; store it like a password). */
  refreshToken: string;
  /** Expiry of the refresh token, ms since epoch (server time). */
  refreshExpiresAt: number;
}

/** `GET /api/me`: who the token's person is now (posts on duty change). */
export interface MeResponse {
  person: Person;
  serverTime: number;
}

/** `GET|HEAD /api/health`. */
export interface HealthResponse {
  ok: true;
  serverTime: number;
}

/** `POST /api/test/clock` (test clock only): the clock's time after the move. */
export interface ClockResponse {
  now: number;
}

/** AUTH-5: `POST /api/admin/revoke {personId}`. */
export interface RevokeResponse {
  personId: string;
  sessionsRevoked: number;
  connectionsClosed: number;
}

/** PHOTO-2: `PUT /api/photos/<sha256>?group=<groupId>`. */
export interface PhotoPutResponse {
  hash: string;
  size: number;
  mime: string;
  /** False when the photo was already stored (nothing rewritten). */
  created: boolean;
}

/** LOCK-2: `GET /api/device-policy`: what an admin set for devices (minutes of inactivity before the app locks). */
export interface DevicePolicyResponse {
  lockMinutes: number;
  /** KEEP-1: days a closed group stays on a device after its closure (MUSTER_CLOSED_RETENTION_DAYS). */
  closedRetentionDays?: number;
  serverTime: number;
}

/** `POST /api/refresh` {refreshToken} → a new access token and a new refresh token (the old one is spent). */
export interface RefreshRequest {
  refreshToken: string;
}

export interface UnitInfo {
  id: string;
  name: string;
  nameEn: string;
  parentId: string | null;
  kind: string;
  /** Pinyin initials of the Chinese name, lower case, for search. */
  initials?: string;
}

export type PostKind = 'management' | 'support' | 'leader';

export interface PostInfo {
  id: string;
  unitId: string;
  name: string;
  nameEn: string;
  kind: PostKind;
  /** e.g. `duty-leader`, `data-support`. */
  capabilities: string[];
  initials?: string;
  /** The post's duty telephone (ESC-5). */
  phone?: string;
}

/** A person as the directory shows them (no secrets). `postIds`: the posts they hold. */
export interface DirectoryPerson {
  id: string;
  name: string;
  policeNo: string;
  unitId: string;
  roles: string[];
  postIds: string[];
}

/** Who is on duty at a post since when (server time). */
export interface OnDutyInfo {
  personId: string;
  postId: string;
  since: number;
}

/** `GET /api/directory`: the shape of core's `DirectoryData`, plus the server time. */
export interface DirectoryResponse {
  units: UnitInfo[];
  posts: PostInfo[];
  persons: DirectoryPerson[];
  onDuty: OnDutyInfo[];
  /** DIR-6: `all` persons and duty rows, or those of the reader's own unit only. */
  scope?: 'all' | 'own-unit';
  serverTime: number;
}

/** `POST /api/duty`: go on (`on: true`) or off duty at a post the logged-in person holds. */
export interface DutyRequest {
  postId: string;
  on: boolean;
}

/** Reply of `POST /api/duty`: the person (postIds = on duty now) and the post's on-duty rows. */
export interface DutyResponse {
  person: Person;
  onDuty: OnDutyInfo[];
  serverTime: number;
}

/** `GET /api/templates`: the group templates (core `GroupTemplate`, validated by the server at start). */
export interface TemplatesResponse {
  templates: unknown[];
}

/** ASSIST-11: `GET /api/lookup/assistant`: the look-up assistant's display name, as an admin configured it. */
export interface AssistantResponse {
  name: { zh: string; en: string };
}

/** `GET /api/approval-types`: the approval types (core `ApprovalType`, validated by the server at start). */
export interface ApprovalTypesResponse {
  types: unknown[];
}

/** A row of the group list as the server knows it. */
export interface GroupSummary {
  id: string;
  title: string;
  kind: 'incident' | 'task';
  initiatorName: string;
  /** Device time the group was started. */
  createdAt: number;
  /** Server time of the last persisted change. */
  updatedAt: number;
  entryCount: number;
  /** HIST-1: the list facts of the group (absent from rows written before they were kept). */
  status?: GroupListStatus;
  /** HIST-1: the list version of the row's last change (set on rows the list pages return). */
  version?: number;
}

/** An invitation no one has signed yet, as the list index keeps it (the desk board reads these). */
export interface OpenInvitation {
  invitationId: string;
  postId: string;
  /** Server time of the deadline; null until the server registered the invitation. */
  deadline: number | null;
}

/** HIST-1: what the list, its filters and the desk board need of a group without opening its document. */
export interface GroupListStatus {
  /** The person who started the group (the list's "mine" filter). */
  initiatorId?: string | null;
  /** Server time of the closure, null while open. */
  closedAt: number | null;
  /** KEEP-2: server time the legal hold in force was placed; null or absent when none is. */
  heldAt?: number | null;
  invited: number;
  signed: number;
  closureDeadline: number | null;
  open: OpenInvitation[];
}

/**
 * HIST-1: `GET /api/groups?since=<cursor>&limit=<n>`: one page of the groups the person sees that changed after the
 * cursor, oldest change first. Page on with the returned cursor while `more`; keep the last cursor and ask again
 * later for what changed since (a delta). `reset`: the cursor was for another scope (duty changed), so this page
 * starts from the beginning and the device should treat the pages that follow as the whole list.
 */
export interface GroupListResponse {
  groups: GroupSummary[];
  serverTime: number;
  /** HIST-1: ask with it (`since`) for the next page or, once `more` is false, for what changes next. */
  cursor?: string;
  /** HIST-1: more rows follow after `cursor` (a list is served a page at a time). */
  more?: boolean;
  /** HIST-1: the cursor sent was for other keys (a change of duty): this is the list from the start. */
  reset?: boolean;
  /** HIST-9: groups that left the person's list since the cursor sent (only in a delta). */
  removed?: string[];
}

/** HIST-8: one item of a person's inbox archive (it left the live inbox document as settled or old). */
export interface InboxArchiveEntry {
  /** The inbox item as it was in the live inbox (a device parses it with core `parseInboxItem`). */
  item: unknown;
  read: boolean;
  /** Server time it left the live inbox. */
  archivedAt: number;
}

/**
 * HIST-8: `GET /api/inbox/archive?before=<cursor>&limit=<n>`: the asker's own archived inbox items, newest first
 * (by the item's time); page on with `cursor` while it is not null.
 */
export interface InboxArchiveResponse {
  items: InboxArchiveEntry[];
  cursor: string | null;
  serverTime: number;
}

export interface ApiError {
  error: string;
  message: string;
}
