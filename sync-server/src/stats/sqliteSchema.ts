/**
 * Tables of the statistics projection in their own SQLite file (`stats.sqlite` beside the store), so the projection
 * can be dropped and rebuilt from the documents without touching them. Invitation and participant rows repeat the
 * group's start time, unit and incident type, so the dashboard's filters need no join.
 */
import Database from 'better-sqlite3';

export const STATS_FILE = 'stats.sqlite';
/** Bumped when the tables change: an older projection is dropped and the start-up catch-up projects every group. */
const STATS_VERSION = 3;
/** Bumped when the rollup tables change: they alone are dropped and rebuilt from the per-group rows. */
const ROLLUP_VERSION = 2;

const DROP_ROLLUPS = `
DROP TABLE IF EXISTS stats_day_groups;
DROP TABLE IF EXISTS stats_day_signoff;
DROP TABLE IF EXISTS stats_day_persons;
`;

const DROP = `
DROP TABLE IF EXISTS stats_groups;
DROP TABLE IF EXISTS stats_invitations;
DROP TABLE IF EXISTS stats_participants;
DROP TABLE IF EXISTS stats_duty;
DROP TABLE IF EXISTS stats_cursors;
${DROP_ROLLUPS}`;

/**
 * STATS-10 rollups (rollup.ts): `span` 1 for a day, 28 for a four-week block, `day` the span's first day; '' stands
 * for no sub-bureau and no incident type; `hist` the STATS-11 histogram of the times to sign (signTimes.ts).
 */
export const ROLLUP_SCHEMA = `
CREATE TABLE IF NOT EXISTS stats_day_groups (
  span INTEGER NOT NULL,
  day INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  sub_bureau_id TEXT NOT NULL,
  incident_type TEXT NOT NULL,
  started INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  closed_timely INTEGER NOT NULL,
  escalations INTEGER NOT NULL,
  groups_escalated INTEGER NOT NULL,
  participant_times INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  late INTEGER NOT NULL,
  PRIMARY KEY (span, day, unit_id, incident_type, sub_bureau_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_day_signoff (
  span INTEGER NOT NULL,
  day INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  sub_bureau_id TEXT NOT NULL,
  incident_type TEXT NOT NULL,
  post_id TEXT NOT NULL,
  post_kind TEXT NOT NULL,
  verdict TEXT NOT NULL,
  basis TEXT NOT NULL,
  required INTEGER NOT NULL,
  n INTEGER NOT NULL,
  hist TEXT,
  PRIMARY KEY (span, day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_day_persons (
  span INTEGER NOT NULL,
  day INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  incident_type TEXT NOT NULL,
  person_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (span, day, unit_id, incident_type, person_id)
) WITHOUT ROWID;
`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stats_groups (
  group_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  incident_type TEXT,
  unit_id TEXT NOT NULL,
  sub_bureau_id TEXT,
  template_id TEXT,
  started_at INTEGER,
  closed_at INTEGER,
  closure_deadline INTEGER,
  timely INTEGER,
  participants INTEGER NOT NULL,
  invitations INTEGER NOT NULL,
  escalations INTEGER NOT NULL,
  late INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  attested INTEGER NOT NULL,
  source_updated_at INTEGER NOT NULL,
  origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stats_groups_cover ON stats_groups (started_at, unit_id, incident_type, sub_bureau_id,
  closed_at, timely, escalations, participants, on_time, late);
CREATE TABLE IF NOT EXISTS stats_invitations (
  group_id TEXT NOT NULL,
  invitation_id TEXT NOT NULL,
  post_id TEXT NOT NULL,
  post_kind TEXT NOT NULL,
  post_unit_id TEXT NOT NULL,
  required INTEGER NOT NULL,
  registered_at INTEGER,
  deadline INTEGER,
  signed_at INTEGER,
  signed_by TEXT,
  verdict TEXT NOT NULL,
  basis TEXT NOT NULL,
  escalated INTEGER NOT NULL,
  g_started_at INTEGER,
  g_unit_id TEXT NOT NULL,
  g_incident_type TEXT,
  PRIMARY KEY (group_id, invitation_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stats_invitations_cover ON stats_invitations (g_started_at, g_unit_id, g_incident_type,
  post_kind, post_id, verdict, basis, registered_at, signed_at, deadline, required);
CREATE INDEX IF NOT EXISTS stats_invitations_unsigned ON stats_invitations (deadline, g_started_at)
  WHERE verdict = 'unsigned';
CREATE TABLE IF NOT EXISTS stats_participants (
  group_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  g_started_at INTEGER,
  g_unit_id TEXT NOT NULL,
  g_incident_type TEXT,
  PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stats_participants_cover ON stats_participants (g_started_at, g_unit_id, g_incident_type,
  person_id);
CREATE TABLE IF NOT EXISTS stats_duty (
  post_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER,
  PRIMARY KEY (post_id, person_id, start_at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_cursors (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

/**
 * Opens (creating when needed) the projection file: WAL; NORMAL sync, since it can always be rebuilt. `staleRollups`:
 * the rollup tables were of an older shape and are now empty (the caller rebuilds them from the per-group rows).
 */
export function openStatsDatabase(file: string): { db: Database.Database; staleRollups: boolean } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Dashboard queries scan covering indexes over a range: read them through a memory map, not syscalls.
  db.pragma('mmap_size = 268435456');
  db.pragma('cache_size = -65536');
  if ((db.pragma('user_version', { simple: true }) as number) !== STATS_VERSION) {
    db.exec(DROP);
    db.pragma(`user_version = ${STATS_VERSION}`);
  }
  db.exec(SCHEMA);
  const version = db.prepare(`SELECT value FROM stats_cursors WHERE name = 'rollup-version'`).pluck().get();
  const staleRollups = version !== ROLLUP_VERSION;
  if (staleRollups) db.exec(DROP_ROLLUPS);
  db.exec(ROLLUP_SCHEMA);
  if (staleRollups) db.prepare(`INSERT OR REPLACE INTO stats_cursors VALUES ('rollup-version', ?)`).run(ROLLUP_VERSION);
  return { db, staleRollups };
}
