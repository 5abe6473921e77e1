/**
 * The PostgreSQL forms of the dashboard queries (sqliteQueries.ts in PostgreSQL's dialect): rollups for whole days
 * and four-week blocks, per-group rows at the edges, the unsigned past their deadline read raw (STATS-10).
 */
import type { VerdictRow } from './figuresMath.ts';
import { sumByKey } from './rollup.ts';
import type { SplitRange } from './rollup.ts';
import { dayKey, rawKey, rekey, whereDays, whereRaw } from './statsSql.ts';
import type { Counters, Key, KeySpec, Params } from './statsSql.ts';
import type { StatsQuery } from './statsStore.ts';

export type Q = (sql: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

const n = (x: string): string => `coalesce(${x}, 0)::bigint`;
const numbers = <T>(rows: Record<string, unknown>[], keep: string[] = ['key']): T[] =>
  rows.map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, keep.includes(k) || typeof v !== 'string' ? v : Number(v)]),
      ) as T,
  );

export async function counters(q: Q, sq: StatsQuery, s: SplitRange, k: KeySpec): Promise<Counters[]> {
  const parts: Counters[][] = [];
  for (const span of s.edges) {
    const w = whereRaw(sq, span, '', false);
    const rows = await q(
      `SELECT ${rawKey(k, '')} AS key, count(*) AS started, ${n('sum((closed_at IS NOT NULL)::int)')} AS "closed",
      ${n('sum((timely = 1)::int)')} AS "closedTimely", ${n('sum(escalations)')} AS escalations,
      ${n('sum((escalations > 0)::int)')} AS "groupsEscalated", ${n('sum(participants)')} AS "participantTimes",
      ${n('sum(on_time)')} AS "onTime", ${n('sum(late)')} AS late
      FROM stats_groups WHERE ${w.sql} GROUP BY 1`,
      w.params,
    );
    parts.push(numbers<Counters>(rows));
  }
  for (const period of s.periods) {
    const w = whereDays(sq, period, false);
    const rows = await q(
      `SELECT ${dayKey(k)} AS key, ${n('sum(started)')} AS started, ${n('sum(closed)')} AS "closed",
      ${n('sum(closed_timely)')} AS "closedTimely", ${n('sum(escalations)')} AS escalations,
      ${n('sum(groups_escalated)')} AS "groupsEscalated", ${n('sum(participant_times)')} AS "participantTimes",
      ${n('sum(on_time)')} AS "onTime", ${n('sum(late)')} AS late FROM stats_day_groups WHERE ${w.sql} GROUP BY 1`,
      w.params,
    );
    parts.push(rekey(k, numbers<Counters>(rows, k.kind === 'time' ? [] : ['key'])));
  }
  return sumByKey(parts);
}

export async function signOffRows(q: Q, sq: StatsQuery, s: SplitRange): Promise<VerdictRow[]> {
  const out: VerdictRow[] = [];
  for (const span of s.edges) {
    const w = whereRaw(sq, span, 'g_', true);
    const rows = await q(
      `SELECT post_id, post_kind, verdict, basis,
      CASE WHEN verdict IN ('on-time','late') THEN (signed_at - registered_at) / 1000 END AS sec, 0 AS overdue,
      count(*) AS n FROM stats_invitations WHERE ${w.sql} AND registered_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
      w.params,
    );
    out.push(...(rows as unknown as VerdictRow[]));
  }
  for (const period of s.periods) {
    // Histogram cells joined are a histogram cell (a bucket may repeat: the tally adds, STATS-11).
    const w = whereDays(sq, period, true);
    const rows = await q(
      `SELECT post_id, post_kind, verdict, basis, string_agg(hist, ',') AS hist, ${n('sum(n)')} AS n
      FROM stats_day_signoff WHERE ${w.sql} GROUP BY 1, 2, 3, 4`,
      w.params,
    );
    for (const r of rows) out.push({ ...(r as unknown as VerdictRow), n: Number(r['n']), sec: null, overdue: 0 });
  }
  if (sq.unitIds?.length === 0) return out;
  const w = whereRaw(sq, sq, 'g_', true);
  const overdue = await q(
    `SELECT post_id, post_kind, basis, count(*) AS n FROM stats_invitations
    WHERE verdict = 'unsigned' AND deadline < @now AND ${w.sql} AND registered_at IS NOT NULL GROUP BY 1, 2, 3`,
    w.params,
  );
  for (const r of overdue as { post_id: string; post_kind: string; basis: string; n: number }[]) {
    const row = { ...r, verdict: 'unsigned', sec: null };
    out.push({ ...row, overdue: 1 }, { ...row, overdue: 0, n: -r.n });
  }
  return out;
}

export async function requiredPosts(q: Q, sq: StatsQuery, s: SplitRange): Promise<string[]> {
  const posts = new Set<string>();
  for (const span of s.edges) {
    const w = whereRaw(sq, span, 'g_', true);
    for (const r of await q(`SELECT DISTINCT post_id FROM stats_invitations WHERE ${w.sql} AND required = 1`, w.params))
      posts.add(r['post_id'] as string);
  }
  for (const period of s.periods) {
    const w = whereDays(sq, period, true);
    for (const r of await q(`SELECT DISTINCT post_id FROM stats_day_signoff WHERE ${w.sql} AND required = 1`, w.params))
      posts.add(r['post_id'] as string);
  }
  return [...posts].sort();
}

export async function distinctParticipants(q: Q, sq: StatsQuery, s: SplitRange): Promise<number> {
  const selects: string[] = [];
  const params: Params = {};
  s.edges.forEach((span, k) => {
    const w = whereRaw(sq, span, 'g_', false);
    selects.push(`SELECT person_id FROM stats_participants WHERE ${w.sql.replace(/@(\w+)/g, `@$1_${k}`)}`);
    for (const [key, v] of Object.entries(w.params)) params[`${key}_${k}`] = v;
  });
  s.periods.forEach((period, k) => {
    const w = whereDays(sq, period, false);
    selects.push(`SELECT person_id FROM stats_day_persons WHERE ${w.sql.replace(/@(\w+)/g, `@$1_d${k}`)}`);
    for (const [key, v] of Object.entries(w.params)) params[`${key}_d${k}`] = v;
  });
  const rows = await q(`SELECT count(DISTINCT person_id) AS n FROM (${selects.join(' UNION ALL ')}) x`, params);
  return Number(rows[0]!['n']);
}

type Judged = { key: Key; onTime: number; judged: number };

export async function judgedByKey(q: Q, sq: StatsQuery, s: SplitRange, k: KeySpec, groups: readonly Counters[]) {
  const post = Boolean(sq.postKind || sq.postId);
  const parts: Judged[][] = [];
  const onI = (sql: string) => sql.replace(/\b(g_\w+|post_kind|post_id)\b/g, 'i.$1');
  if (!post) parts.push(groups.map((r) => ({ key: r.key, onTime: r.onTime, judged: r.onTime + r.late })));
  else {
    for (const span of s.edges) {
      const w = whereRaw(sq, span, 'g_', true);
      const rows = await q(
        `SELECT ${rawKey(k, 'g.')} AS key, ${n("sum((i.verdict = 'on-time')::int)")} AS "onTime",
        ${n("sum((i.verdict IN ('on-time','late'))::int)")} AS judged
        FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
        WHERE ${onI(w.sql)} AND i.registered_at IS NOT NULL GROUP BY 1`,
        w.params,
      );
      parts.push(numbers<Judged>(rows));
    }
    for (const period of s.periods) {
      const w = whereDays(sq, period, true);
      const rows = await q(
        `SELECT ${dayKey(k)} AS key, ${n("sum(CASE WHEN verdict = 'on-time' THEN n ELSE 0 END)")} AS "onTime",
        ${n("sum(CASE WHEN verdict IN ('on-time','late') THEN n ELSE 0 END)")} AS judged
        FROM stats_day_signoff WHERE ${w.sql} GROUP BY 1`,
        w.params,
      );
      parts.push(rekey(k, numbers<Judged>(rows, k.kind === 'time' ? [] : ['key'])));
    }
  }
  if (sq.unitIds?.length !== 0) {
    const w = whereRaw(sq, sq, 'g_', post);
    const rows = await q(
      `SELECT ${rawKey(k, 'g.')} AS key, 0 AS "onTime", count(*) AS judged
      FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
      WHERE i.verdict = 'unsigned' AND i.deadline < @now AND i.registered_at IS NOT NULL AND ${onI(w.sql)}
      GROUP BY 1`,
      w.params,
    );
    parts.push(numbers<Judged>(rows));
  }
  return new Map(sumByKey(parts).map((r) => [r.key, r]));
}
