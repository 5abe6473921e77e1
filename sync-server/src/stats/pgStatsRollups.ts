/**
 * STATS-10 in PostgreSQL: the daily rollups kept equal to the per-group rows (the SQL of sqliteRollups.ts in
 * PostgreSQL's dialect), in the transaction that replaces a group's rows; rebuilt in a few statements after bulk
 * writes.
 */
import type pg from 'pg';
import { DAY_MS, ROLLUP_TZ_MINUTES, editSecs } from './rollup.ts';
import { named } from './pgStatsSchema.ts';

const day = (col: string): string => `((${col} + ${ROLLUP_TZ_MINUTES * 60_000}) / ${DAY_MS})`;

const G_COLS = `${day('started_at')}, unit_id, coalesce(sub_bureau_id, ''), coalesce(incident_type, '')`;
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
const S_KEY = S_KEYS.join(', ');
const S_TUPLE = '(day, unit_id, sub_bureau_id, incident_type, post_id, post_kind, verdict, basis, required)';
const S_CONFLICT = '(day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)';
const SEC = `CASE WHEN i.verdict IN ('on-time','late') THEN (i.signed_at - i.registered_at) / 1000 END`;
const P_KEY = `${day('g_started_at')}, g_unit_id, coalesce(g_incident_type, ''), person_id`;

type Q = (sql: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

export function querier(client: pg.PoolClient | pg.Pool): Q {
  return async (sql, params = {}) => (await client.query(...named(sql, params))).rows as Record<string, unknown>[];
}

/** Adds (sign 1) or takes out (sign -1) the contribution of a group whose per-group rows are present. */
export async function applyRollups(q: Q, groupId: string, sign: 1 | -1): Promise<void> {
  const p = { id: groupId, s: sign };
  const secs = (
    await q(
      `SELECT ${S_KEYS.map((c, k) => `${c} AS k${k}`).join(', ')}, ${SEC} AS sec ${S_FROM} AND i.group_id = @id`,
      p,
    )
  ).filter((r) => r['sec'] !== null);
  if (sign === -1) await editAll(q, secs, -1);
  await q(
    `INSERT INTO stats_day_groups SELECT ${G_COLS}, ${G_VALUES.map((v) => `(@s)::int * (${v})`).join(', ')}
    FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL
    ON CONFLICT (day, unit_id, incident_type, sub_bureau_id) DO UPDATE SET
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
    ON CONFLICT (day, unit_id, incident_type, person_id) DO UPDATE SET n = stats_day_persons.n + excluded.n`,
    p,
  );
  if (sign === 1) await editAll(q, secs, 1);
  else {
    await q(
      `DELETE FROM stats_day_groups WHERE started = 0 AND (day, unit_id, sub_bureau_id, incident_type) IN
      (SELECT ${G_COLS} FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL)`,
      { id: groupId },
    );
    await q(
      `DELETE FROM stats_day_signoff WHERE n = 0 AND ${S_TUPLE} IN (SELECT ${S_KEY} ${S_FROM} AND i.group_id = @id)`,
      {
        id: groupId,
      },
    );
    await q(
      `DELETE FROM stats_day_persons WHERE n = 0 AND (day, unit_id, incident_type, person_id) IN
      (SELECT ${P_KEY} FROM stats_participants WHERE group_id = @id AND g_started_at IS NOT NULL)`,
      { id: groupId },
    );
  }
}

async function editAll(q: Q, rows: Record<string, unknown>[], sign: 1 | -1): Promise<void> {
  const cols = [
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
  const where = cols.map((c, k) => `${c} = @k${k}`).join(' AND ');
  for (const r of rows) {
    const had = await q(`SELECT secs FROM stats_day_signoff WHERE ${where} FOR UPDATE`, r);
    if (had.length === 0) continue;
    const secs = editSecs((had[0]!['secs'] as string | null) ?? null, Number(r['sec']), sign);
    await q(`UPDATE stats_day_signoff SET secs = @secs WHERE ${where}`, { ...r, secs });
  }
}

/** Rebuilds every rollup from the per-group rows (in the caller's transaction). */
export async function rebuildRollups(q: Q): Promise<void> {
  await q('DELETE FROM stats_day_groups');
  await q('DELETE FROM stats_day_signoff');
  await q('DELETE FROM stats_day_persons');
  const sums = G_VALUES.map((v) => (v === '1' ? 'count(*)' : `sum(${v})`)).join(', ');
  await q(`INSERT INTO stats_day_groups SELECT ${G_COLS}, ${sums} FROM stats_groups WHERE started_at IS NOT NULL
    GROUP BY 1, 2, 3, 4`);
  await q(`INSERT INTO stats_day_signoff SELECT ${S_KEY}, count(*), string_agg((${SEC})::text, ',' ORDER BY ${SEC})
    ${S_FROM} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
  await q(`INSERT INTO stats_day_persons SELECT ${P_KEY}, count(*) FROM stats_participants
    WHERE g_started_at IS NOT NULL GROUP BY 1, 2, 3, 4`);
}

export { G_NAMES };
