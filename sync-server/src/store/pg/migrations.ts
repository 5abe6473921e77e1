/**
 * The PostgreSQL store's schema as numbered migrations. Each runs once, in order, in its own transaction, and is
 * recorded in `schema_migrations`; nodes starting together take an advisory lock so only one migrates. Tables and
 * columns mirror the SQLite store (sqlite/schema.ts) so rows map the same way (sqlite/rows.ts); times are
 * milliseconds in BIGINT, JSON kept as the exact text written (the audit chain hashes that text).
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE docs (
  name TEXT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  snapshot BYTEA,
  snapshot_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE updates (
  doc TEXT NOT NULL,
  seq BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  initiator_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  entry_count INTEGER NOT NULL
);
CREATE TABLE units (
  ord INTEGER NOT NULL,
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  parent_id TEXT,
  kind TEXT NOT NULL,
  initials TEXT
);
CREATE TABLE posts (
  ord INTEGER NOT NULL,
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  capabilities TEXT NOT NULL DEFAULT '[]',
  initials TEXT
);
CREATE TABLE persons (
  id TEXT PRIMARY KEY,
  police_no TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  roles TEXT NOT NULL,
  post_ids TEXT NOT NULL,
  password_hash TEXT NOT NULL
);
CREATE TABLE on_duty (
  person_id TEXT NOT NULL,
  post_id TEXT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (person_id, post_id)
);
CREATE TABLE deadlines (
  doc TEXT PRIMARY KEY,
  at BIGINT NOT NULL
);
CREATE TABLE group_access (
  group_id TEXT PRIMARY KEY,
  initiator_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  post_ids TEXT NOT NULL
);
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  doc_name TEXT,
  detail TEXT,
  prev_hash TEXT,
  hash TEXT
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  refresh_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE TABLE group_members (
  group_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (group_id, kind, ref)
);
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures TEXT NOT NULL,
  locked_until BIGINT NOT NULL,
  locks INTEGER NOT NULL
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
`,
  },
  {
    version: 2,
    name: 'leases of documents between relay nodes',
    sql: `
CREATE TABLE leases (
  doc TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  node_url TEXT NOT NULL,
  token BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE SEQUENCE lease_tokens;
`,
  },
  {
    version: 3,
    name: 'audit read indexes (AUDIT-4 filters)',
    sql: `
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_doc ON audit (doc_name, seq);
CREATE INDEX audit_action ON audit (action, seq);
CREATE INDEX audit_at ON audit (at);
`,
  },
  {
    version: 4,
    name: 'group list index (HIST-1)',
    sql: `
ALTER TABLE groups ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN status TEXT;
CREATE SEQUENCE list_version_seq;
CREATE TABLE group_keys (
  key TEXT NOT NULL,
  group_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (key, group_id)
);
CREATE INDEX group_keys_version ON group_keys (key, version);
CREATE INDEX group_keys_group ON group_keys (group_id);
UPDATE groups SET version = r.n
  FROM (SELECT id, row_number() OVER (ORDER BY updated_at, id) AS n FROM groups) r WHERE groups.id = r.id;
CREATE INDEX groups_version ON groups (version);
SELECT setval('list_version_seq', (SELECT COALESCE(max(version), 0) + 1 FROM groups), false);
INSERT INTO group_keys (key, group_id, version)
  SELECT CASE m.kind WHEN 'unit' THEN 'u:' || m.ref
                     WHEN 'post' THEN 'post:' || m.ref
                     WHEN 'addressed-post' THEN 'post:' || m.ref
                     ELSE 'p:' || m.ref END,
         m.group_id, COALESCE(g.version, 0)
  FROM group_members m LEFT JOIN groups g ON g.id = m.group_id
  ON CONFLICT DO NOTHING;
`,
  },
  {
    version: 5,
    name: 'photos shared by every node (PHOTO-6)',
    sql: `
CREATE TABLE photos (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
-- JPEG, PNG and WebP are compressed already: kept out of line without a second compression.
ALTER TABLE photos ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE TABLE photo_groups (
  hash TEXT NOT NULL REFERENCES photos (hash),
  group_id TEXT NOT NULL,
  PRIMARY KEY (hash, group_id)
);
`,
  },
  {
    // ESC-5: a post's duty telephone, shown to the leader with an escalation.
    version: 6,
    name: 'post duty phone',
    sql: 'ALTER TABLE posts ADD COLUMN phone TEXT;',
  },
  {
    version: 7,
    name: 'the cluster audit key (SCALE-9)',
    sql: `
CREATE TABLE audit_key (
  only_one BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_one),
  key_id TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  node TEXT NOT NULL,
  at BIGINT NOT NULL
);
`,
  },
  {
    version: 8,
    name: 'inbox archive (HIST-8)',
    sql: `
CREATE TABLE inbox_archive (
  person_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  item TEXT NOT NULL,
  read_at BIGINT,
  archived_at BIGINT NOT NULL,
  PRIMARY KEY (person_id, item_id)
);
CREATE INDEX inbox_archive_page ON inbox_archive (person_id, at DESC, item_id DESC);
`,
  },
  {
    // HIST-9: a key a group left is kept as a removal (tombstone) at the group's list version, so deltas say so.
    version: 9,
    name: 'group list removals (HIST-9)',
    sql: `
ALTER TABLE group_keys ADD COLUMN removed BOOLEAN NOT NULL DEFAULT false;
DROP INDEX group_keys_version;
CREATE INDEX group_keys_version_removed ON group_keys (key, version, removed);
`,
  },
];

/** Applies the migrations not yet recorded; resolves to the versions applied. Throws on a newer database. */
export async function migrate(client: pg.ClientBase): Promise<number[]> {
  await client.query('BEGIN');
  try {
    // One migrator per schema at a time (nodes starting together).
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-migrate'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const newest = Math.max(0, ...done);
    const known = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    if (newest > known) throw new Error(`database schema version ${newest} is newer than this server (${known})`);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
