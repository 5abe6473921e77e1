/**
 * STATS-10 in PostgreSQL: the rollups of days and four-week blocks kept equal to the per-group rows (the SQL of
 * sqliteRollups.ts in PostgreSQL's dialect), in the transaction that replaces a group's rows; rebuilt in a few
 * statements after bulk writes.
 */
import type pg from 'pg';
import { BLOCK_SPAN, DAY_MS, DAY_SPAN, ROLLUP_TZ_MINUTES } from './rollup.ts';
import { editHist, signBucket, signBucketSql } from './signTimes.ts';
import { named } from './pgStatsSchema.ts';

const SPANS = [DAY_SPAN, BLOCK_SPAN];
const SPAN = '(@span)::int';
/** The first day of the span holding a server time (rollup.ts spanStart). */
const day = (col: string): string =>
  `(((((${col} + ${ROLLUP_TZ_MINUTES * 60_000}) / ${DAY_MS}) + 3) / ${SPAN}) * ${SPAN} - 3)`;

const G_COLS = `${SPAN}, ${day('started_at')}, unit_id, coalesce(sub_bureau_id, ''), coalesce(incident_type, '')`;
const G_NAMES = ['started', 'closed', 'closed_timely', 'escalations', 'groups_escalated', 'participant_times'];
const G_ALL = [...G_NAMES, 'on_time', 'late'];
const G_VALUES = [
  '1',
  '(closed_at IS NOT NULL)::int',
  '(timely IS NOT DISTINCT FROM 1)::int',
  'escalations',
  '(escalations > 0)::int',
  'participants',
  'on_time',
  'late',
];
const S_FROM = `FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
  WHERE i.registered_at IS NOT NULL AND g.started_at IS NOT NULL`;
const S_KEYS = [
  SPAN,
  day('g.started_at'),
  'g.unit_id',
  "coalesce(g.sub_bureau_id, '')",
  "coalesce(g.incident_type, '')",
  'i.post_id',
  'i.post_kind',
  'i.verdict',
  'i.basis',
  'i.required',
];
/** The signoff table's key columns, in the order of S_KEYS. */
const S_ALL = [
  'span',
  'day',
  'unit_id',
  'sub_bureau_id',
  'incident_type',
  'post_id',
  'post_kind',
  'verdict',
  'basis',
  'required',
];
const S_KEY = S_KEYS.join(', ');
const S_TUPLE = '(span, day, unit_id, sub_bureau_id, incident_type, post_id, post_kind, verdict, basis, required)';
const S_CONFLICT = '(span, day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)';
const SEC = `CASE WHEN i.verdict IN ('on-time','late') THEN (i.signed_at - i.registered_at) / 1000 END`;
const P_KEY = `${SPAN}, ${day('g_started_at')}, g_unit_id, coalesce(g_incident_type, ''), person_id`;

type Q = (sql: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/** Queries on a client; `timeoutMs` overrides the pool's query timeout (a rebuild over every row takes longer). */
export function querier(client: pg.PoolClient | pg.Pool, timeoutMs?: number): Q {
  return async (sql, params = {}) => {
    const [text, values] = named(sql, params);
    const config = timeoutMs === undefined ? { text, values } : { text, values, query_timeout: timeoutMs };
    return (await client.query(config)).rows as Record<string, unknown>[];
  };
}

/** How long one statement of a rollup rebuild may take (every row of the projection, on a loaded server). */
export const REBUILD_TIMEOUT_MS = 30 * 60_000;

/** Adds (sign 1) or takes out (sign -1) the contribution of a group whose per-group rows are present. */
export async function applyRollups(q: Q, groupId: string, sign: 1 | -1): Promise<void> {
  for (const span of SPANS) await applySpan(q, groupId, sign, span);
}

async function applySpan(q: Q, groupId: string, sign: 1 | -1, span: number): Promise<void> {
  const p = { id: groupId, s: sign, span };
  const at = { id: groupId, span };
  const secs = (
    await q(
      `SELECT ${S_KEYS.map((c, k) => `${c} AS k${k}`).join(', ')}, ${SEC} AS sec ${S_FROM} AND i.group_id = @id`,
      at,
    )
  ).filter((r) => r['sec'] !== null);
  if (sign === -1) await editAll(q, secs, -1);
  await q(
    `INSERT INTO stats_day_groups SELECT ${G_COLS}, ${G_VALUES.map((v) => `(@s)::int * (${v})`).join(', ')}
    FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL
    ON CONFLICT (span, day, unit_id, incident_type, sub_bureau_id) DO UPDATE SET
    ${G_ALL.map((c) => `${c} = stats_day_groups.${c} + excluded.${c}`).join(', ')}`,
    p,
  );
  await q(
    `INSERT INTO stats_day_signoff SELECT ${S_KEY}, (@s)::int, NULL ${S_FROM} AND i.group_id = @id
    ON CONFLICT ${S_CONFLICT} DO UPDATE SET n = stats_day_signoff.n + excluded.n`,
    p,
  );
  await q(
    `INSERT INTO stats_day_persons SELECT ${P_KEY}, (@s)::int FROM stats_participants
    WHERE group_id = @id AND g_started_at IS NOT NULL
    ON CONFLICT (span, day, unit_id, incident_type, person_id) DO UPDATE SET n = stats_day_persons.n + excluded.n`,
    p,
  );
  if (sign === 1) await editAll(q, secs, 1);
  else {
    await q(
      `DELETE FROM stats_day_groups WHERE started = 0 AND (span, day, unit_id, sub_bureau_id, incident_type) IN
      (SELECT ${G_COLS} FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL)`,
      at,
    );
    await q(
      `DELETE FROM stats_day_signoff WHERE n = 0 AND ${S_TUPLE} IN (SELECT ${S_KEY} ${S_FROM} AND i.group_id = @id)`,
      at,
    );
    await q(
      `DELETE FROM stats_day_persons WHERE n = 0 AND (span, day, unit_id, incident_type, person_id) IN
      (SELECT ${P_KEY} FROM stats_participants WHERE group_id = @id AND g_started_at IS NOT NULL)`,
      at,
    );
  }
}

async function editAll(q: Q, rows: Record<string, unknown>[], sign: 1 | -1): Promise<void> {
  const where = S_ALL.map((c, k) => `${c} = @k${k}`).join(' AND ');
  for (const r of rows) {
    const had = await q(`SELECT hist FROM stats_day_signoff WHERE ${where} FOR UPDATE`, r);
    if (had.length === 0) continue;
    const hist = editHist((had[0]!['hist'] as string | null) ?? null, signBucket(Number(r['sec'])), sign);
    await q(`UPDATE stats_day_signoff SET hist = @hist WHERE ${where}`, { ...r, hist });
  }
}

/** Rebuilds every rollup from the per-group rows (in the caller's transaction). */
export async function rebuildRollups(q: Q): Promise<void> {
  await q('DELETE FROM stats_day_groups');
  await q('DELETE FROM stats_day_signoff');
  await q('DELETE FROM stats_day_persons');
  const sums = G_VALUES.map((v) => (v === '1' ? 'count(*)' : `sum(${v})`)).join(', ');
  for (const span of SPANS) {
    await q(
      `INSERT INTO stats_day_groups SELECT ${G_COLS}, ${sums} FROM stats_groups WHERE started_at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5`,
      { span },
    );
    // Per key and bucket first, then one canonical histogram cell per key (signTimes.ts); the seconds once per row
    // (OFFSET 0 keeps the planner from copying their expression into every branch of the bucket's CASE).
    await q(
      `INSERT INTO stats_day_signoff SELECT ${S_ALL.map((_c, k) => `k${k}`).join(', ')}, sum(c),
      string_agg(CASE WHEN b IS NOT NULL THEN b::text || ':' || c::text END, ',' ORDER BY b)
      FROM (SELECT ${S_ALL.map((_c, k) => `k${k}`).join(', ')}, ${signBucketSql('sec')} AS b, count(*) AS c
        FROM (SELECT ${S_KEYS.map((c, k) => `${c} AS k${k}`).join(', ')}, ${SEC} AS sec ${S_FROM} OFFSET 0) r
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) x
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
      { span },
    );
    await q(
      `INSERT INTO stats_day_persons SELECT ${P_KEY}, count(*) FROM stats_participants
      WHERE g_started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
      { span },
    );
  }
}

export { G_NAMES };
