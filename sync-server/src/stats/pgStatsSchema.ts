/**
 * STATS-2/STATS-10 in PostgreSQL: the statistics projection's tables (the SQLite ones, sqliteSchema.ts, with
 * PostgreSQL types) in the store's schema, created at open (the rollups apart, with their version); and named parameters (`@name`, as the shared SQL writes
 * them, statsSql.ts) turned into positional ones.
 */
export const PG_STATS_SCHEMA = `
CREATE TABLE IF NOT EXISTS stats_groups (
  group_id TEXT PRIMARY KEY, kind TEXT NOT NULL, incident_type TEXT, unit_id TEXT NOT NULL, sub_bureau_id TEXT,
  template_id TEXT, started_at BIGINT, closed_at BIGINT, closure_deadline BIGINT, timely INTEGER,
  participants INTEGER NOT NULL, invitations INTEGER NOT NULL, escalations INTEGER NOT NULL, late INTEGER NOT NULL,
  on_time INTEGER NOT NULL, attested INTEGER NOT NULL, source_updated_at BIGINT NOT NULL, origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stats_groups_started ON stats_groups (started_at, unit_id);
CREATE TABLE IF NOT EXISTS stats_invitations (
  group_id TEXT NOT NULL, invitation_id TEXT NOT NULL, post_id TEXT NOT NULL, post_kind TEXT NOT NULL,
  post_unit_id TEXT NOT NULL, required INTEGER NOT NULL, registered_at BIGINT, deadline BIGINT, signed_at BIGINT,
  signed_by TEXT, verdict TEXT NOT NULL, basis TEXT NOT NULL, escalated INTEGER NOT NULL, g_started_at BIGINT,
  g_unit_id TEXT NOT NULL, g_incident_type TEXT, PRIMARY KEY (group_id, invitation_id)
);
CREATE INDEX IF NOT EXISTS stats_invitations_started ON stats_invitations (g_started_at, g_unit_id);
CREATE INDEX IF NOT EXISTS stats_invitations_unsigned ON stats_invitations (deadline, g_started_at)
  WHERE verdict = 'unsigned';
CREATE TABLE IF NOT EXISTS stats_participants (
  group_id TEXT NOT NULL, person_id TEXT NOT NULL, g_started_at BIGINT, g_unit_id TEXT NOT NULL,
  g_incident_type TEXT, PRIMARY KEY (group_id, person_id)
);
CREATE INDEX IF NOT EXISTS stats_participants_started ON stats_participants (g_started_at, g_unit_id);
CREATE TABLE IF NOT EXISTS stats_duty (
  post_id TEXT NOT NULL, person_id TEXT NOT NULL, start_at BIGINT NOT NULL, end_at BIGINT,
  PRIMARY KEY (post_id, person_id, start_at)
);
CREATE TABLE IF NOT EXISTS stats_cursors (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
`;

/** Bumped when the rollup tables change: they alone are dropped and rebuilt from the per-group rows. */
export const PG_ROLLUP_VERSION = 2;

export const PG_DROP_ROLLUPS = `
DROP TABLE IF EXISTS stats_day_groups;
DROP TABLE IF EXISTS stats_day_signoff;
DROP TABLE IF EXISTS stats_day_persons;
`;

/** STATS-10 rollups of days (`span` 1) and four-week blocks (`span` 28), as in sqliteSchema.ts. */
export const PG_ROLLUP_SCHEMA = `
CREATE TABLE IF NOT EXISTS stats_day_groups (
  span INTEGER NOT NULL, day BIGINT NOT NULL, unit_id TEXT NOT NULL, sub_bureau_id TEXT NOT NULL,
  incident_type TEXT NOT NULL, started BIGINT NOT NULL, closed BIGINT NOT NULL, closed_timely BIGINT NOT NULL,
  escalations BIGINT NOT NULL, groups_escalated BIGINT NOT NULL, participant_times BIGINT NOT NULL,
  on_time BIGINT NOT NULL, late BIGINT NOT NULL,
  PRIMARY KEY (span, day, unit_id, incident_type, sub_bureau_id)
);
CREATE TABLE IF NOT EXISTS stats_day_signoff (
  span INTEGER NOT NULL, day BIGINT NOT NULL, unit_id TEXT NOT NULL, sub_bureau_id TEXT NOT NULL,
  incident_type TEXT NOT NULL, post_id TEXT NOT NULL, post_kind TEXT NOT NULL, verdict TEXT NOT NULL,
  basis TEXT NOT NULL, required INTEGER NOT NULL, n BIGINT NOT NULL, hist TEXT,
  PRIMARY KEY (span, day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)
);
CREATE TABLE IF NOT EXISTS stats_day_persons (
  span INTEGER NOT NULL, day BIGINT NOT NULL, unit_id TEXT NOT NULL, incident_type TEXT NOT NULL,
  person_id TEXT NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (span, day, unit_id, incident_type, person_id)
);
`;

/** `@name` parameters to `$n` ones with their values (every name must be given). */
export function named(sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const names: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_m, n: string) => {
    let i = names.indexOf(n);
    if (i < 0) i = names.push(n) - 1;
    return `$${i + 1}`;
  });
  return [
    text,
    names.map((n) => {
      if (!(n in params)) throw new Error(`no value for @${n}`);
      return params[n];
    }),
  ];
}
