/** Every prepared statement of the SQLite store, prepared once per connection. */
import type Database from 'better-sqlite3';
import type { AuditDbRow, GroupRow, PersonRow, PostDbRow, SessionRow, UnitDbRow } from './rows.ts';

export function prepareStatements(db: Database.Database) {
  return {
    docGet: db.prepare<[string], { last_seq: number; snapshot: Buffer | null; snapshot_seq: number }>(
      'SELECT last_seq, snapshot, snapshot_seq FROM docs WHERE name = ?',
    ),
    // HIST-5: the append and compaction paths need only the sequence numbers, never the snapshot blob.
    docSeqs: db.prepare<[string], { last_seq: number; snapshot_seq: number }>(
      'SELECT last_seq, snapshot_seq FROM docs WHERE name = ?',
    ),
    docInsert: db.prepare('INSERT OR IGNORE INTO docs (name, last_seq) VALUES (?, 0)'),
    docSetSeq: db.prepare('UPDATE docs SET last_seq = ? WHERE name = ?'),
    docSetSnapshot: db.prepare('UPDATE docs SET snapshot = ?, snapshot_seq = ? WHERE name = ?'),
    updInsert: db.prepare('INSERT INTO updates (doc, seq, data) VALUES (?, ?, ?)'),
    updAfter: db.prepare<[string, number], { data: Buffer }>(
      'SELECT data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq',
    ),
    updDelete: db.prepare('DELETE FROM updates WHERE doc = ? AND seq <= ?'),
    groupUpsert: db.prepare(
      `INSERT INTO groups (id, title, kind, initiator_name, created_at, updated_at, entry_count, status)
       VALUES (@id, @title, @kind, @initiatorName, @createdAt, @updatedAt, @entryCount, @status)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
         initiator_name = excluded.initiator_name, created_at = excluded.created_at,
         updated_at = excluded.updated_at, entry_count = excluded.entry_count,
         status = COALESCE(excluded.status, groups.status)`,
    ),
    // HIST-1: the list index.
    versionNext: db.prepare<[], { v: number }>('UPDATE list_version SET v = v + 1 WHERE id = 1 RETURNING v'),
    groupSetVersion: db.prepare('UPDATE groups SET version = ? WHERE id = ?'),
    keysSetVersion: db.prepare('UPDATE group_keys SET version = ? WHERE group_id = ?'),
    // A key listed again after it was removed (HIST-9) is live again: a change, like a new key.
    keyInsert: db.prepare(
      `INSERT INTO group_keys (key, group_id, version, removed) VALUES (?, ?, 0, 0)
       ON CONFLICT (key, group_id) DO UPDATE SET removed = 0 WHERE removed = 1`,
    ),
    keyRemove: db.prepare('UPDATE group_keys SET removed = 1 WHERE key = ? AND group_id = ? AND removed = 0'),
    keyPage: db.prepare<[string, number, number], { group_id: string; version: number; removed: number }>(
      'SELECT group_id, version, removed FROM group_keys WHERE key = ? AND version > ? ORDER BY version LIMIT ?',
    ),
    groupPageAll: db.prepare<[number, number], GroupRow>(
      'SELECT * FROM groups WHERE version > ? ORDER BY version LIMIT ?',
    ),
    groupList: db.prepare<[], GroupRow>('SELECT * FROM groups ORDER BY updated_at DESC, id'),
    groupGet: db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE id = ?'),
    // HIST-1: the rows of a page in one statement (ids as a JSON array).
    groupGetMany: db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE id IN (SELECT value FROM json_each(?))'),
    unitInsert: db.prepare(
      `INSERT INTO units (ord, id, name, name_en, parent_id, kind, initials)
       VALUES (@ord, @id, @name, @nameEn, @parentId, @kind, @initials)`,
    ),
    postInsert: db.prepare(
      `INSERT INTO posts (ord, id, unit_id, name, name_en, kind, capabilities, initials, phone)
       VALUES (@ord, @id, @unitId, @name, @nameEn, @kind, @capabilities, @initials, @phone)`,
    ),
    unitList: db.prepare<[], UnitDbRow>('SELECT id, name, name_en, parent_id, kind, initials FROM units ORDER BY ord'),
    postList: db.prepare<[], PostDbRow>(
      'SELECT id, unit_id, name, name_en, kind, capabilities, initials, phone FROM posts ORDER BY ord',
    ),
    dutyList: db.prepare<[], { person_id: string; post_id: string; since: number }>(
      'SELECT person_id, post_id, since FROM on_duty ORDER BY since, person_id, post_id',
    ),
    dutyInsert: db.prepare('INSERT OR IGNORE INTO on_duty (person_id, post_id, since) VALUES (?, ?, ?)'),
    dutyDelete: db.prepare('DELETE FROM on_duty WHERE person_id = ? AND post_id = ?'),
    personList: db.prepare<[], PersonRow>('SELECT * FROM persons ORDER BY id'),
    deadlineSet: db.prepare(
      'INSERT INTO deadlines (doc, at) VALUES (?, ?) ON CONFLICT(doc) DO UPDATE SET at = excluded.at',
    ),
    deadlineDelete: db.prepare('DELETE FROM deadlines WHERE doc = ?'),
    deadlineList: db.prepare<[], { doc: string; at: number }>('SELECT doc, at FROM deadlines ORDER BY at, doc'),
    accessSet: db.prepare(
      `INSERT INTO group_access (group_id, initiator_id, unit_id, post_ids) VALUES (?, ?, ?, ?)
       ON CONFLICT(group_id) DO UPDATE SET initiator_id = excluded.initiator_id, unit_id = excluded.unit_id,
         post_ids = excluded.post_ids`,
    ),
    accessList: db.prepare<[], { group_id: string; initiator_id: string; unit_id: string; post_ids: string }>(
      'SELECT * FROM group_access ORDER BY group_id',
    ),
    personCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM persons'),
    personInsert: db.prepare(
      `INSERT INTO persons (id, police_no, name, unit_id, roles, post_ids, password_hash)
       VALUES (@id, @policeNo, @name, @unitId, @roles, @postIds, @passwordHash)`,
    ),
    personByNo: db.prepare<[string], PersonRow>('SELECT * FROM persons WHERE police_no = ?'),
    personById: db.prepare<[string], PersonRow>('SELECT * FROM persons WHERE id = ?'),
    auditInsert: db.prepare(
      `INSERT INTO audit (seq, at, actor, action, doc_name, detail, prev_hash, hash)
       VALUES (@seq, @at, @actor, @action, @docName, @detail, @prevHash, @hash)`,
    ),
    auditLast: db.prepare<[], { seq: number; hash: string | null }>(
      'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
    ),
    sessionInsert: db.prepare(
      `INSERT INTO sessions (id, person_id, refresh_hash, created_at, expires_at, revoked_at)
       VALUES (@id, @personId, @refreshHash, @createdAt, @expiresAt, @revokedAt)`,
    ),
    sessionGet: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    sessionRotate: db.prepare(
      `UPDATE sessions SET refresh_hash = ?, expires_at = ?
       WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL`,
    ),
    sessionActiveOf: db.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE person_id = ? AND revoked_at IS NULL',
    ),
    sessionRevoke: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    memberInsert: db.prepare(
      'INSERT OR IGNORE INTO group_members (group_id, kind, ref, at) VALUES (@groupId, @kind, @ref, @at)',
    ),
    memberDelete: db.prepare('DELETE FROM group_members WHERE group_id = @groupId AND kind = @kind AND ref = @ref'),
    memberList: db.prepare<[string], { group_id: string; kind: string; ref: string; at: number }>(
      'SELECT * FROM group_members WHERE group_id = ? ORDER BY at, kind, ref',
    ),
    throttleSet: db.prepare(
      `INSERT INTO login_throttle (key, failures, locked_until, locks) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
         locks = excluded.locks`,
    ),
    throttleDelete: db.prepare('DELETE FROM login_throttle WHERE key = ?'),
    throttleList: db.prepare<[], { key: string; failures: string; locked_until: number; locks: number }>(
      'SELECT key, failures, locked_until, locks FROM login_throttle ORDER BY key',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
