/**
 * The SQLite file's tables, and opening it: WAL, synchronous=FULL, migrations of older data dirs. Tables added
 * later (AUTH-1 `login_throttle`) are created by `CREATE TABLE IF NOT EXISTS` when an older file opens, so they need
 * no version step; columns added later get theirs below.
 */
import Database from 'better-sqlite3';

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
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY,
  failures TEXT NOT NULL,
  locked_until INTEGER NOT NULL,
  locks INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;

/** Opens (creating or upgrading) the database file with the durability settings every commit relies on. */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
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
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
