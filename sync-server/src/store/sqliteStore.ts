/** The embedded store: one SQLite file (WAL, synchronous=FULL) through better-sqlite3. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, auditHash } from '../audit/chain.ts';
import type { GroupSummary, OnDutyInfo, PostInfo, PostKind, UnitInfo } from '@muster/protocol';
import type {
  AppendResult,
  AuditInput,
  AuditRow,
  DeadlineRow,
  Directory,
  DocAppend,
  GroupMember,
  GroupAccess,
  PersonRecord,
  SessionRecord,
  Store,
  StoredDoc,
} from './store.ts';

export const SQLITE_FILE = 'muster.sqlite';
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  name TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  snapshot BLOB,
  snapshot_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS updates (
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  initiator_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  entry_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS units (
  ord INTEGER NOT NULL,
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  parent_id TEXT,
  kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS posts (
  ord INTEGER NOT NULL,
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS persons (
  id TEXT PRIMARY KEY,
  police_no TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  roles TEXT NOT NULL,
  post_ids TEXT NOT NULL,
  password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS on_duty (
  person_id TEXT NOT NULL,
  post_id TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (person_id, post_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deadlines (
  doc TEXT PRIMARY KEY,
  at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_access (
  group_id TEXT PRIMARY KEY,
  initiator_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  post_ids TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  doc_name TEXT,
  detail TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  refresh_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_person ON sessions (person_id);
CREATE TABLE IF NOT EXISTS group_members (
  group_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (group_id, kind, ref)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;

interface PersonRow {
  id: string;
  police_no: string;
  name: string;
  unit_id: string;
  roles: string;
  post_ids: string;
  password_hash: string;
}

interface GroupRow {
  id: string;
  title: string;
  kind: string;
  initiator_name: string;
  created_at: number;
  updated_at: number;
  entry_count: number;
}

interface AuditDbRow {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

interface SessionRow {
  id: string;
  person_id: string;
  refresh_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const sessionOf = (r: SessionRow): SessionRecord => ({
  id: r.id,
  personId: r.person_id,
  refreshHash: r.refresh_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

const bytes = (b: Buffer | Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function personOf(r: PersonRow): PersonRecord {
  return {
    id: r.id,
    policeNo: r.police_no,
    name: r.name,
    unitId: r.unit_id,
    roles: JSON.parse(r.roles) as string[],
    postIds: JSON.parse(r.post_ids) as string[],
    passwordHash: r.password_hash,
  };
}

function groupOf(r: GroupRow): GroupSummary {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind === 'task' ? 'task' : 'incident',
    initiatorName: r.initiator_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    entryCount: r.entry_count,
  };
}

/** Opens (creating when needed) `dir/muster.sqlite`. */
export function openSqliteStore(dir: string): Store {
  fs.mkdirSync(dir, { recursive: true });
  return new SqliteStore(path.join(dir, SQLITE_FILE));
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #stmt;
  readonly #append: (batch: readonly DocAppend[]) => AppendResult[];
  readonly #compact: (docName: string, snapshot: Uint8Array, uptoSeq: number) => void;
  readonly #seed: (directory: Directory, persons: readonly PersonRecord[]) => boolean;
  readonly #audit: (entry: AuditInput) => number;
  readonly #replace: (directory: Directory, persons: readonly PersonRecord[]) => void;

  constructor(file: string) {
    const db = new Database(file);
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${file}: schema version ${version} is newer than this server`);
    db.exec(SCHEMA);
    // AUDIT-1: hash-chain columns (data dirs made before them get them here; older rows stay unchained).
    const auditCols = db.prepare<[], { name: string }>('PRAGMA table_info(audit)').all();
    if (!auditCols.some((c) => c.name === 'hash')) {
      db.exec('ALTER TABLE audit ADD COLUMN prev_hash TEXT; ALTER TABLE audit ADD COLUMN hash TEXT;');
    }
    // Columns added after the first schema (data dirs made before them get them here).
    const addColumn = (table: string, column: string, decl: string): void => {
      const cols = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
      if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
    };
    addColumn('units', 'initials', 'TEXT');
    addColumn('posts', 'capabilities', "TEXT NOT NULL DEFAULT '[]'");
    addColumn('posts', 'initials', 'TEXT');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);

    const s = {
      docGet: db.prepare<[string], { last_seq: number; snapshot: Buffer | null; snapshot_seq: number }>(
        'SELECT last_seq, snapshot, snapshot_seq FROM docs WHERE name = ?',
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
        `INSERT INTO groups (id, title, kind, initiator_name, created_at, updated_at, entry_count)
         VALUES (@id, @title, @kind, @initiatorName, @createdAt, @updatedAt, @entryCount)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
           initiator_name = excluded.initiator_name, created_at = excluded.created_at,
           updated_at = excluded.updated_at, entry_count = excluded.entry_count`,
      ),
      groupList: db.prepare<[], GroupRow>('SELECT * FROM groups ORDER BY updated_at DESC, id'),
      groupGet: db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE id = ?'),
      unitInsert: db.prepare(
        `INSERT INTO units (ord, id, name, name_en, parent_id, kind, initials)
         VALUES (@ord, @id, @name, @nameEn, @parentId, @kind, @initials)`,
      ),
      postInsert: db.prepare(
        `INSERT INTO posts (ord, id, unit_id, name, name_en, kind, capabilities, initials)
         VALUES (@ord, @id, @unitId, @name, @nameEn, @kind, @capabilities, @initials)`,
      ),
      unitList: db.prepare<
        [],
        { id: string; name: string; name_en: string; parent_id: string | null; kind: string; initials: string | null }
      >('SELECT id, name, name_en, parent_id, kind, initials FROM units ORDER BY ord'),
      postList: db.prepare<
        [],
        {
          id: string;
          unit_id: string;
          name: string;
          name_en: string;
          kind: string;
          capabilities: string;
          initials: string | null;
        }
      >('SELECT id, unit_id, name, name_en, kind, capabilities, initials FROM posts ORDER BY ord'),
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
      memberList: db.prepare<[string], { group_id: string; kind: string; ref: string; at: number }>(
        'SELECT * FROM group_members WHERE group_id = ? ORDER BY at, kind, ref',
      ),
      auditList: db.prepare<[number, number], AuditDbRow>('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
    this.#stmt = s;

    this.#append = db.transaction((batch: readonly DocAppend[]): AppendResult[] => {
      const out: AppendResult[] = [];
      for (const item of batch) {
        s.docInsert.run(item.docName);
        const row = s.docGet.get(item.docName)!;
        let seq = row.last_seq;
        for (const u of item.updates) s.updInsert.run(item.docName, ++seq, u);
        if (seq !== row.last_seq) s.docSetSeq.run(seq, item.docName);
        if (item.group) s.groupUpsert.run(item.group);
        out.push({ docName: item.docName, lastSeq: seq, sinceSnapshot: seq - row.snapshot_seq });
      }
      return out;
    });

    // AUDIT-1: each row chains to the one before it, in one transaction.
    this.#audit = db.transaction((entry: AuditInput): number => {
      const last = s.auditLast.get();
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        docName: entry.docName ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      s.auditInsert.run({ ...row, prevHash, hash: auditHash(prevHash, row) });
      return row.seq;
    });

    this.#compact = db.transaction((docName: string, snapshot: Uint8Array, uptoSeq: number) => {
      const row = s.docGet.get(docName);
      if (!row || uptoSeq <= row.snapshot_seq || uptoSeq > row.last_seq) return;
      s.docSetSnapshot.run(snapshot, uptoSeq, docName);
      s.updDelete.run(docName, uptoSeq);
    });

    const writeDirectory = (directory: Directory, persons: readonly PersonRecord[]): void => {
      db.exec('DELETE FROM units; DELETE FROM posts; DELETE FROM persons; DELETE FROM on_duty;');
      directory.units.forEach((u, ord) => s.unitInsert.run({ ord, ...u, initials: u.initials ?? null }));
      directory.posts.forEach((p, ord) =>
        s.postInsert.run({
          ord,
          id: p.id,
          unitId: p.unitId,
          name: p.name,
          nameEn: p.nameEn,
          kind: p.kind,
          capabilities: JSON.stringify(p.capabilities ?? []),
          initials: p.initials ?? null,
        }),
      );
      for (const p of persons) {
        s.personInsert.run({
          id: p.id,
          policeNo: p.policeNo,
          name: p.name,
          unitId: p.unitId,
          roles: JSON.stringify(p.roles),
          postIds: JSON.stringify(p.postIds),
          passwordHash: p.passwordHash,
        });
      }
      for (const d of directory.onDuty) s.dutyInsert.run(d.personId, d.postId, d.since);
    };
    this.#seed = db.transaction((directory: Directory, persons: readonly PersonRecord[]): boolean => {
      if (s.personCount.get()!.n > 0) return false;
      writeDirectory(directory, persons);
      return true;
    });
    this.#replace = db.transaction((directory: Directory, persons: readonly PersonRecord[]): void => {
      writeDirectory(directory, persons);
    });
  }

  async appendUpdates(batch: readonly DocAppend[]): Promise<AppendResult[]> {
    return this.#append(batch);
  }

  async loadDoc(docName: string): Promise<StoredDoc> {
    const read = this.#db.transaction((): StoredDoc => {
      const row = this.#stmt.docGet.get(docName);
      if (!row) return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 };
      const updates = this.#stmt.updAfter.all(docName, row.snapshot_seq).map((r) => bytes(r.data));
      return {
        snapshot: row.snapshot ? bytes(row.snapshot) : null,
        snapshotSeq: row.snapshot_seq,
        updates,
        lastSeq: row.last_seq,
      };
    });
    return read();
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.#compact(docName, snapshot, uptoSeq);
  }

  async listGroups(): Promise<GroupSummary[]> {
    return this.#stmt.groupList.all().map(groupOf);
  }

  async getGroup(id: string): Promise<GroupSummary | null> {
    const r = this.#stmt.groupGet.get(id);
    return r ? groupOf(r) : null;
  }

  async seedDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<boolean> {
    return this.#seed(directory, persons);
  }

  async getDirectory(): Promise<Directory> {
    const units: UnitInfo[] = this.#stmt.unitList.all().map((u) => ({
      id: u.id,
      name: u.name,
      nameEn: u.name_en,
      parentId: u.parent_id,
      kind: u.kind,
      ...(u.initials ? { initials: u.initials } : {}),
    }));
    const posts: PostInfo[] = this.#stmt.postList.all().map((p) => ({
      id: p.id,
      unitId: p.unit_id,
      name: p.name,
      nameEn: p.name_en,
      kind: p.kind as PostKind,
      capabilities: JSON.parse(p.capabilities) as string[],
      ...(p.initials ? { initials: p.initials } : {}),
    }));
    const onDuty: OnDutyInfo[] = this.#stmt.dutyList
      .all()
      .map((d) => ({ personId: d.person_id, postId: d.post_id, since: d.since }));
    return { units, posts, onDuty };
  }

  async replaceDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<void> {
    this.#replace(directory, persons);
  }

  async listPersons(): Promise<PersonRecord[]> {
    return this.#stmt.personList.all().map(personOf);
  }

  async setOnDuty(personId: string, postId: string, on: boolean, since: number): Promise<boolean> {
    const info = on ? this.#stmt.dutyInsert.run(personId, postId, since) : this.#stmt.dutyDelete.run(personId, postId);
    return info.changes > 0;
  }

  async setDeadline(docName: string, at: number | null): Promise<void> {
    if (at === null) this.#stmt.deadlineDelete.run(docName);
    else this.#stmt.deadlineSet.run(docName, at);
  }

  async listDeadlines(): Promise<DeadlineRow[]> {
    return this.#stmt.deadlineList.all().map((r) => ({ docName: r.doc, at: r.at }));
  }

  async setGroupAccess(access: GroupAccess): Promise<void> {
    this.#stmt.accessSet.run(access.groupId, access.initiatorId, access.unitId, JSON.stringify(access.postIds));
  }

  async listGroupAccess(): Promise<GroupAccess[]> {
    return this.#stmt.accessList.all().map((r) => ({
      groupId: r.group_id,
      initiatorId: r.initiator_id,
      unitId: r.unit_id,
      postIds: JSON.parse(r.post_ids) as string[],
    }));
  }

  async countPersons(): Promise<number> {
    return this.#stmt.personCount.get()!.n;
  }

  async findPersonByPoliceNo(policeNo: string): Promise<PersonRecord | null> {
    const r = this.#stmt.personByNo.get(policeNo);
    return r ? personOf(r) : null;
  }

  async getPerson(id: string): Promise<PersonRecord | null> {
    const r = this.#stmt.personById.get(id);
    return r ? personOf(r) : null;
  }

  async appendAudit(entry: AuditInput): Promise<number> {
    return this.#audit(entry);
  }

  async listAudit(opts: { afterSeq?: number; limit?: number } = {}): Promise<AuditRow[]> {
    return this.#stmt.auditList.all(opts.afterSeq ?? 0, opts.limit ?? 1000).map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      docName: r.doc_name,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      ...(r.hash ? { prevHash: r.prev_hash ?? '', hash: r.hash } : {}),
    }));
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.#stmt.sessionInsert.run(session);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const r = this.#stmt.sessionGet.get(id);
    return r ? sessionOf(r) : null;
  }

  async rotateSession(id: string, oldHash: string, newHash: string, expiresAt: number): Promise<boolean> {
    return this.#stmt.sessionRotate.run(newHash, expiresAt, id, oldHash).changes === 1;
  }

  async revokeSessions(by: { personId: string } | { sessionId: string }, at: number): Promise<string[]> {
    const ids = 'personId' in by ? this.#stmt.sessionActiveOf.all(by.personId).map((r) => r.id) : [by.sessionId];
    return ids.filter((id) => this.#stmt.sessionRevoke.run(at, id).changes === 1);
  }

  async addGroupMembers(members: readonly GroupMember[]): Promise<void> {
    for (const m of members) this.#stmt.memberInsert.run(m);
  }

  async listGroupMembers(groupId: string): Promise<GroupMember[]> {
    return this.#stmt.memberList
      .all(groupId)
      .map((r) => ({ groupId: r.group_id, kind: r.kind as GroupMember['kind'], ref: r.ref, at: r.at }));
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Fold the WAL back into the main file so a copied data dir is complete.
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    this.#db.close();
  }
}
