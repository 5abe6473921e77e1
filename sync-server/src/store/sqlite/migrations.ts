/**
 * DATA-1: numbered schema migrations keyed on SQLite's `user_version`. A file at version N gets every migration
 * above N, each in its own transaction together with the new `user_version`, so a crash leaves the file at a whole
 * version. A file newer than the last migration is refused (an older server must not write it).
 *
 * Add a step by appending a migration with the next number; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  /** What the step does, for the start-up log. */
  name: string;
  up(db: Database.Database): void;
}

/** Version 1: every table as the schema stood when migrations were numbered (fresh files start here). */
const V1_TABLES = `
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
  kind TEXT NOT NULL,
  initials TEXT
);
CREATE TABLE IF NOT EXISTS posts (
  ord INTEGER NOT NULL,
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  capabilities TEXT NOT NULL DEFAULT '[]',
  initials TEXT
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
  detail TEXT,
  prev_hash TEXT,
  hash TEXT
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

const LOGIN_THROTTLE = `
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY,
  failures TEXT NOT NULL,
  locked_until INTEGER NOT NULL,
  locks INTEGER NOT NULL
) WITHOUT ROWID;
`;

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return db
    .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
    .all()
    .some((c) => c.name === column);
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'tables', up: (db) => db.exec(V1_TABLES) },
  {
    // Files that reached version 1 before migrations were numbered may lack what was added to version 1 in place
    // (the login throttle, the audit hash chain, unit and post search columns): this step alone checks for them.
    version: 2,
    name: 'catch up files written before numbered migrations',
    up: (db) => {
      db.exec(LOGIN_THROTTLE);
      if (!hasColumn(db, 'audit', 'hash')) {
        db.exec('ALTER TABLE audit ADD COLUMN prev_hash TEXT; ALTER TABLE audit ADD COLUMN hash TEXT;');
      }
      if (!hasColumn(db, 'units', 'initials')) db.exec('ALTER TABLE units ADD COLUMN initials TEXT');
      if (!hasColumn(db, 'posts', 'capabilities')) {
        db.exec("ALTER TABLE posts ADD COLUMN capabilities TEXT NOT NULL DEFAULT '[]'");
      }
      if (!hasColumn(db, 'posts', 'initials')) db.exec('ALTER TABLE posts ADD COLUMN initials TEXT');
    },
  },
  {
    // AUDIT-4: the audit log is read by person, group, action and time range (GET /api/audit).
    version: 3,
    name: 'audit read indexes',
    up: (db) =>
      db.exec(`
        CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, seq);
        CREATE INDEX IF NOT EXISTS audit_doc ON audit (doc_name, seq);
        CREATE INDEX IF NOT EXISTS audit_action ON audit (action, seq);
        CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
      `),
  },
  {
    // HIST-1: the group list index: a list version per group (the cursor of deltas), the list status, and the keys
    // (person, post, unit) each group lists under, so a page reads one index range per key.
    version: 4,
    name: 'group list index',
    up: (db) => {
      // Files that reached version 1 before migrations were numbered may lack tables: create what is missing.
      db.exec(V1_TABLES);
      if (!hasColumn(db, 'groups', 'version'))
        db.exec('ALTER TABLE groups ADD COLUMN version INTEGER NOT NULL DEFAULT 0');
      if (!hasColumn(db, 'groups', 'status')) db.exec('ALTER TABLE groups ADD COLUMN status TEXT');
      db.exec(`
        CREATE TABLE IF NOT EXISTS group_keys (
          key TEXT NOT NULL,
          group_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          PRIMARY KEY (key, group_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS group_keys_version ON group_keys (key, version);
        CREATE INDEX IF NOT EXISTS group_keys_group ON group_keys (group_id);
        CREATE TABLE IF NOT EXISTS list_version (id INTEGER PRIMARY KEY CHECK (id = 1), v INTEGER NOT NULL);
      `);
      const ids = db.prepare<[], { id: string }>('SELECT id FROM groups ORDER BY updated_at, id').all();
      const set = db.prepare('UPDATE groups SET version = ? WHERE id = ?');
      ids.forEach((r, i) => set.run(i + 1, r.id));
      db.exec(`
        CREATE INDEX IF NOT EXISTS groups_version ON groups (version);
        INSERT OR IGNORE INTO group_keys (key, group_id, version)
          SELECT CASE m.kind WHEN 'unit' THEN 'u:' || m.ref
                             WHEN 'post' THEN 'post:' || m.ref
                             WHEN 'addressed-post' THEN 'post:' || m.ref
                             ELSE 'p:' || m.ref END,
                 m.group_id, COALESCE(g.version, 0)
          FROM group_members m LEFT JOIN groups g ON g.id = m.group_id;
      `);
      db.prepare('INSERT OR REPLACE INTO list_version (id, v) VALUES (1, ?)').run(ids.length);
    },
  },
  {
    // ESC-5: a post's duty telephone, shown to the leader with an escalation.
    version: 5,
    name: 'post duty phone',
    up: (db) => {
      if (!hasColumn(db, 'posts', 'phone')) db.exec('ALTER TABLE posts ADD COLUMN phone TEXT');
    },
  },
  {
    // HIST-8: items that left a person's live inbox document, paged newest first.
    version: 6,
    name: 'inbox archive',
    up: (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS inbox_archive (
          person_id TEXT NOT NULL,
          item_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          item TEXT NOT NULL,
          read_at INTEGER,
          archived_at INTEGER NOT NULL,
          PRIMARY KEY (person_id, item_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS inbox_archive_page ON inbox_archive (person_id, at DESC, item_id DESC);
      `);
    },
  },
  {
    // HIST-9: a key a group left is kept as a removal (tombstone) at the group's list version, so deltas say so.
    version: 7,
    name: 'group list removals',
    up: (db) => {
      if (!hasColumn(db, 'group_keys', 'removed'))
        db.exec('ALTER TABLE group_keys ADD COLUMN removed INTEGER NOT NULL DEFAULT 0');
      db.exec(`
        DROP INDEX IF EXISTS group_keys_version;
        CREATE INDEX IF NOT EXISTS group_keys_version_removed ON group_keys (key, version, removed);
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  constructor(file: string, version: number) {
    super(`${file}: schema version ${version} is newer than this server's ${SCHEMA_VERSION}; use a newer server`);
    this.name = 'SchemaTooNewError';
  }
}

/** Applies the migrations above the file's `user_version`; resolves to the versions applied. */
export function migrate(db: Database.Database, file: string, migrations = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(file, current);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
