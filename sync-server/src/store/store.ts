/**
 * Storage behind the relay and the API. Every method is async so that a networked implementation
 * (PostgreSQL) can follow the embedded SQLite one; one contract suite (storeContract.ts) runs against each.
 */
import type { InboxItem } from '@muster/core';
import type { GroupSummary, OnDutyInfo, Person, PostInfo, UnitInfo } from '@muster/protocol';

/** What is stored of a document: the latest snapshot and the log entries after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  /** Sequence number the snapshot covers (0: none). */
  snapshotSeq: number;
  /** Updates with sequence numbers after `snapshotSeq`, in order. */
  updates: Uint8Array[];
  /** Sequence number of the last update (0: nothing stored). */
  lastSeq: number;
}

/** Updates of one document to append, with the refreshed group-index row when the document is a group. */
export interface DocAppend {
  docName: string;
  updates: readonly Uint8Array[];
  group?: GroupSummary | null;
  /**
   * AUDIT-7: audit rows about the records these updates bring (a sign-off, a request, a verdict), appended to the
   * one chain in the same transaction as the updates: stored exactly when the updates are, never without them and
   * never again when the updates come again after a crash (they change nothing then, so no row is made).
   */
  audit?: readonly AuditInput[];
  /**
   * ACL-2, AUDIT-8: members these updates register (the group record's initiator and unit, invited posts), added in
   * the same transaction; a member not registered before has its `audit` row (`group-created`, `member-registered`)
   * appended to the one chain then, before the batch item's `audit` rows. One already registered adds nothing.
   */
  members?: readonly MemberRegistration[];
}

/** AUDIT-8: a membership row an update brings and the audit row it gets when it is new. */
export interface MemberRegistration {
  member: GroupMember;
  audit: AuditInput;
}

export interface AppendResult {
  docName: string;
  /** Sequence number of the last update appended. */
  lastSeq: number;
  /** Updates in the log after the latest snapshot. */
  sinceSnapshot: number;
}

/** A stored person. `postIds` here are the posts the person HOLDS (on duty: `Directory.onDuty`). */
export interface PersonRecord extends Person {
  /** `scrypt$…` hash of the password (auth/passwords.ts). */
  passwordHash: string;
}

export interface Directory {
  units: UnitInfo[];
  posts: PostInfo[];
  /** Who is on duty at which post (DIR-4). */
  onDuty: OnDutyInfo[];
}

/** ESC-4: the next moment a document needs the server (escalation scheduler). */
export interface DeadlineRow {
  docName: string;
  at: number;
}

/** Who a group concerns, for the group list (initiator, its unit, the posts invited). */
export interface GroupAccess {
  groupId: string;
  initiatorId: string;
  unitId: string;
  postIds: string[];
}

/**
 * HIST-1: the list-index key a membership row lists the group under: `p:<person>` (initiator, addressed person),
 * `post:<post>` (invited or addressed post: persons on duty there) or `u:<unit>` (the group's unit: overseeing leaders).
 */
export function listKeyOf(m: Pick<GroupMember, 'kind' | 'ref'>): string {
  if (m.kind === 'unit') return `u:${m.ref}`;
  if (m.kind === 'post' || m.kind === 'addressed-post') return `post:${m.ref}`;
  return `p:${m.ref}`;
}

/**
 * HIST-1: one page of the group list index: the groups listed under any of `keys` (null: every group) whose list
 * version is above `since`, oldest change first, at most `limit`. Each row carries its `version`. HIST-9: a group
 * that left every one of `keys` (its membership under them removed) comes as a removal at its version, only in a
 * delta (`since` > 0): a list from the start names only what is listed.
 */
/** HIST-9: a group that left the asker's list, at the list version of that change. */
export interface GroupRemoval {
  id: string;
  version: number;
  removed: true;
}

/** HIST-9: a row of a list page: a group listed, or one that left the list. */
export type GroupPageRow = GroupSummary | GroupRemoval;

export const isRemoval = (r: GroupPageRow): r is GroupRemoval => 'removed' in r && r.removed === true;

export interface GroupPageQuery {
  keys: readonly string[] | null;
  since: number;
  limit: number;
}

export interface AuditInput {
  at: number;
  /** Person id, or null for the system. */
  actor: string | null;
  action: string;
  docName?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditRow extends AuditInput {
  seq: number;
  docName: string | null;
  detail: Record<string, unknown> | null;
  /** AUDIT-1: hash chain (audit/chain.ts). */
  prevHash?: string;
  hash?: string;
}

/**
 * AUDIT-4: which audit rows to list. Filters combine (AND); `at` bounds are inclusive. Without `newestFirst` rows
 * come in sequence order after `afterSeq`; with it, newest first below `beforeSeq` (the audit page's paging).
 */
export interface AuditQuery {
  afterSeq?: number;
  beforeSeq?: number;
  newestFirst?: boolean;
  limit?: number;
  actor?: string;
  docName?: string;
  action?: string;
  fromAt?: number;
  toAt?: number;
}

/** AUDIT-4: whether a row passes a query's filters (not its paging). */
export function auditMatches(row: AuditRow, q: AuditQuery): boolean {
  return (
    (q.actor === undefined || row.actor === q.actor) &&
    (q.docName === undefined || row.docName === q.docName) &&
    (q.action === undefined || row.action === q.action) &&
    (q.fromAt === undefined || row.at >= q.fromAt) &&
    (q.toAt === undefined || row.at <= q.toAt) &&
    (q.afterSeq === undefined || row.seq > q.afterSeq) &&
    (q.beforeSeq === undefined || row.seq < q.beforeSeq)
  );
}

/** A login session: its refresh token is stored as a SHA-256 hash only. */
export interface SessionRecord {
  id: string;
  personId: string;
  refreshHash: string;
  createdAt: number;
  /** Refresh token expiry (server time). */
  expiresAt: number;
  /** Server time of revocation, null while active. */
  revokedAt: number | null;
}

/** ACL-2: the server's own record of who belongs to a group (never read from the document). */
export interface GroupMember {
  groupId: string;
  /**
   * `unit`: the group's unit; `initiator`/`person`: a person id; `post`: a registered invited post;
   * `addressed-post`: a post the group addressed (instruction, escalation), whose persons on duty may open it.
   */
  kind: 'unit' | 'initiator' | 'post' | 'person' | 'addressed-post';
  ref: string;
  at: number;
}

/** AUTH-1: one login-throttle key's state (loginThrottle.ts); the key is `a:<police number>` or `r:<address>`. */
export interface ThrottleState {
  /** Server times of the failures within the window. */
  failures: number[];
  /** Server time the lock-out ends (0: never locked). */
  lockedUntil: number;
  /** Lock-outs so far (each doubles the next). */
  locks: number;
}

export interface ThrottleRow extends ThrottleState {
  key: string;
}

/** HIST-8: an item kept in a person's inbox archive (it left the live inbox document). */
export interface ArchivedInboxRow {
  personId: string;
  item: InboxItem;
  /** Device time of the person's read marker, null when unread. */
  readAt: number | null;
  /** Server time it left the live inbox. */
  archivedAt: number;
}

/**
 * HIST-8: one archiving of a live inbox: the rows to keep in the archive and the document's new state (the items
 * that stay), written together. `lastSeq` is the document's last sequence number the new state was built from.
 */
export interface InboxArchiveWrite {
  docName: string;
  rows: readonly ArchivedInboxRow[];
  snapshot: Uint8Array;
  lastSeq: number;
}

/** HIST-8: a page of a person's archive, newest first (`at`, then item id, descending), strictly after `before`. */
export interface InboxArchiveQuery {
  personId: string;
  before?: { at: number; itemId: string } | null;
  limit: number;
}

/** HIST-8: the inbox document changed since its new state was built; nothing was written. */
export class InboxArchiveConflict extends Error {
  constructor(docName: string) {
    super(`${docName} changed while its archive was written`);
    this.name = 'InboxArchiveConflict';
  }
}

/** Whether an archive row comes before the cursor in the archive's order (newest first). */
export function archiveRowBefore(
  r: { item: { at: number; id: string } },
  before: InboxArchiveQuery['before'],
): boolean {
  return !before || r.item.at < before.at || (r.item.at === before.at && r.item.id < before.itemId);
}

/** The archive's order: newest first, then item id descending. */
export function archiveOrder(a: ArchivedInboxRow, b: ArchivedInboxRow): number {
  return b.item.at - a.item.at || (a.item.id < b.item.id ? 1 : a.item.id > b.item.id ? -1 : 0);
}

export interface Store {
  /**
   * Appends updates of several documents in ONE transaction, durably, giving each update the next sequence
   * number of its document, upserts the group-index rows given, registers their members (AUDIT-8) and appends
   * their audit rows (AUDIT-7, chained in batch order after the updates). Resolves after the commit.
   */
  appendUpdates(batch: readonly DocAppend[]): Promise<AppendResult[]>;
  /** The snapshot and the updates after it. A document never written loads empty. */
  loadDoc(docName: string): Promise<StoredDoc>;
  /**
   * Replaces the snapshot with one covering every update up to `uptoSeq` and drops those updates. A snapshot
   * older than the stored one is ignored. The snapshot may also contain later updates (they are idempotent).
   */
  compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;

  listGroups(): Promise<GroupSummary[]>;
  /**
   * HIST-1: a page of the list index (see GroupPageQuery). Every change of a group's row (append with a summary)
   * or of its membership (addGroupMembers) gives the group the next list version, so a page after a cursor holds
   * exactly what changed since.
   */
  listGroupPage(q: GroupPageQuery): Promise<GroupPageRow[]>;
  getGroup(id: string): Promise<GroupSummary | null>;
  /** HIST-8: the list rows of these groups (those that exist, any order). */
  getGroups(ids: readonly string[]): Promise<GroupSummary[]>;

  /**
   * HIST-8: in ONE transaction, keeps `rows` in the person's archive (a row already there stays as it is) and
   * replaces the inbox document's stored state by `snapshot` (its updates dropped; later appends follow `lastSeq`).
   * Throws InboxArchiveConflict, writing nothing, when the document's last sequence number is no longer `lastSeq`;
   * with several nodes, FencedError unless this node holds the document's lease (SCALE-2).
   */
  archiveInbox(write: InboxArchiveWrite): Promise<void>;
  /** HIST-8: a page of a person's archive (see InboxArchiveQuery). */
  listInboxArchive(q: InboxArchiveQuery): Promise<ArchivedInboxRow[]>;
  /** HIST-8: which of these item ids are in the person's archive. */
  archivedInboxIds(personId: string, itemIds: readonly string[]): Promise<string[]>;

  /** Stores the directory and persons when no person exists yet; resolves true when it seeded. */
  seedDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<boolean>;
  getDirectory(): Promise<Directory>;
  /** DIR-2: replaces units, posts, persons and on-duty rows in ONE transaction (all or nothing). */
  replaceDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<void>;
  listPersons(): Promise<PersonRecord[]>;
  /** Puts a person on (or off) duty at a post; resolves true when something changed. */
  setOnDuty(personId: string, postId: string, on: boolean, since: number): Promise<boolean>;
  countPersons(): Promise<number>;
  findPersonByPoliceNo(policeNo: string): Promise<PersonRecord | null>;
  getPerson(id: string): Promise<PersonRecord | null>;

  /** ESC-4: sets (or with null removes) a document's next deadline. */
  setDeadline(docName: string, at: number | null): Promise<void>;
  listDeadlines(): Promise<DeadlineRow[]>;

  setGroupAccess(access: GroupAccess): Promise<void>;
  listGroupAccess(): Promise<GroupAccess[]>;

  /** Appends to the audit log (append-only); resolves to the row's sequence number. */
  appendAudit(entry: AuditInput): Promise<number>;
  /** AUDIT-4: rows matching the query (default: every row in sequence order, at most 1000). */
  listAudit(opts?: AuditQuery): Promise<AuditRow[]>;

  // Login sessions (refresh tokens stored hashed) and the group membership registry.
  createSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Replaces the refresh hash when the session is active and still holds `oldHash`; false otherwise. */
  rotateSession(id: string, oldHash: string, newHash: string, expiresAt: number): Promise<boolean>;
  /** Revokes every active session of a person (or one session); resolves to the ids revoked. */
  revokeSessions(by: { personId: string } | { sessionId: string }, at: number): Promise<string[]>;
  /** Adds membership rows; a row already there (same group, kind, ref) keeps its first time. */
  addGroupMembers(members: readonly GroupMember[]): Promise<void>;
  /**
   * HIST-9: removes membership rows; a list key no remaining row of the group maps to is kept as a removal
   * (tombstone) and the group takes the next list version, so deltas under that key say it left.
   */
  removeGroupMembers(members: readonly Omit<GroupMember, 'at'>[]): Promise<void>;
  listGroupMembers(groupId: string): Promise<GroupMember[]>;

  /** AUTH-1: every stored login-throttle row, by key (read at start-up so lock-outs survive a restart). */
  listThrottle(): Promise<ThrottleRow[]>;
  /** AUTH-1: stores (or with null removes) one key's login-throttle state, durably. */
  setThrottle(key: string, state: ThrottleState | null): Promise<void>;

  close(): Promise<void>;
}
