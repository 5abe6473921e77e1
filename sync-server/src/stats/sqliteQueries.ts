/**
 * The SQL of the SQLite dashboard queries, each in two forms: over the rollups for whole days and four-week blocks
 * (STATS-10) and over the per-group rows for a raw span (the partial days at a range's edges). The store sums the
 * parts.
 */
import type Database from 'better-sqlite3';
import { sumByKey } from './rollup.ts';
import type { SplitRange } from './rollup.ts';
import { dayKey, rawKey, rekey, whereDays, whereRaw } from './statsSql.ts';
import type { Counters, Key, KeySpec, Params } from './statsSql.ts';
import type { VerdictRow } from './figuresMath.ts';
import type { StatsQuery } from './statsStore.ts';

export type Stmt = (sql: string) => Database.Statement;

const c = (x: string): string => `coalesce(${x}, 0)`;

export function counters(stmt: Stmt, q: StatsQuery, s: SplitRange, k: KeySpec): Counters[] {
  const parts: Counters[][] = s.edges.map((span) => {
    const w = whereRaw(q, span, '', false);
    return stmt(`SELECT ${rawKey(k, '')} AS key, count(*) AS started, ${c('sum(closed_at IS NOT NULL)')} AS closed,
      ${c('sum(timely = 1)')} AS closedTimely, ${c('sum(escalations)')} AS escalations,
      ${c('sum(escalations > 0)')} AS groupsEscalated, ${c('sum(participants)')} AS participantTimes,
      ${c('sum(on_time)')} AS onTime, ${c('sum(late)')} AS late
      FROM stats_groups WHERE ${w.sql} GROUP BY key`).all(w.params) as Counters[];
  });
  for (const period of s.periods) {
    const w = whereDays(q, period, false);
    const sums = ['started', 'closed', 'closed_timely', 'escalations', 'groups_escalated', 'participant_times'];
    const names = ['started', 'closed', 'closedTimely', 'escalations', 'groupsEscalated', 'participantTimes'];
    const rows = stmt(`SELECT ${dayKey(k)} AS key, ${sums.map((x, i) => `sum(${x}) AS ${names[i]}`).join(', ')},
      sum(on_time) AS onTime, sum(late) AS late FROM stats_day_groups WHERE ${w.sql} GROUP BY key`).all(
      w.params,
    ) as Counters[];
    parts.push(rekey(k, rows));
  }
  return sumByKey(parts);
}

/** Sign-off rows (unsigned all counted as waiting) of the sign-off figures, from rollups and edges. */
export function signOffRows(stmt: Stmt, q: StatsQuery, s: SplitRange): VerdictRow[] {
  const out: VerdictRow[] = [];
  for (const span of s.edges) {
    const w = whereRaw(q, span, 'g_', true);
    out.push(
      ...(stmt(`SELECT post_id, post_kind, verdict, basis,
      CASE WHEN verdict IN ('on-time','late') THEN (signed_at - registered_at) / 1000 END AS sec, 0 AS overdue,
      count(*) AS n FROM stats_invitations WHERE ${w.sql} AND registered_at IS NOT NULL
      GROUP BY post_id, post_kind, verdict, basis, sec`).all(w.params) as VerdictRow[]),
    );
  }
  for (const period of s.periods) {
    // Histogram cells joined are a histogram cell (a bucket may repeat: the tally adds, STATS-11).
    const w = whereDays(q, period, true);
    out.push(
      ...(stmt(`SELECT post_id, post_kind, verdict, basis, NULL AS sec, group_concat(hist) AS hist, 0 AS overdue,
      sum(n) AS n FROM stats_day_signoff WHERE ${w.sql} GROUP BY post_id, post_kind, verdict, basis`).all(
        w.params,
      ) as VerdictRow[]),
    );
  }
  // Registered, unsigned and past the deadline at now: few rows (their partial index), read raw over the whole range.
  // (INDEXED BY has no plan for a WHERE that is false: no units, no rows.)
  if (q.unitIds?.length === 0) return out;
  const w = whereRaw(q, q, 'g_', true);
  const overdue = stmt(`SELECT post_id, post_kind, basis, count(*) AS n
    FROM stats_invitations INDEXED BY stats_invitations_unsigned WHERE verdict = 'unsigned' AND deadline < @now AND ${w.sql} AND registered_at IS NOT NULL
    GROUP BY post_id, post_kind, basis`).all(w.params) as {
    post_id: string;
    post_kind: string;
    basis: string;
    n: number;
  }[];
  for (const r of overdue) {
    const row = { ...r, verdict: 'unsigned', sec: null };
    out.push({ ...row, overdue: 1 }, { ...row, overdue: 0, n: -r.n });
  }
  return out;
}

/** Posts the groups' one taps required. */
export function requiredPosts(stmt: Stmt, q: StatsQuery, s: SplitRange): string[] {
  const posts = new Set<string>();
  const add = (sql: string, params: Params) => {
    for (const id of stmt(sql).pluck().all(params) as string[]) posts.add(id);
  };
  for (const span of s.edges) {
    const w = whereRaw(q, span, 'g_', true);
    add(`SELECT DISTINCT post_id FROM stats_invitations WHERE ${w.sql} AND required = 1`, w.params);
  }
  for (const period of s.periods) {
    const w = whereDays(q, period, true);
    add(`SELECT DISTINCT post_id FROM stats_day_signoff WHERE ${w.sql} AND required = 1`, w.params);
  }
  return [...posts].sort();
}

export function distinctParticipants(stmt: Stmt, q: StatsQuery, s: SplitRange): number {
  const selects: string[] = [];
  const params: Params = {};
  s.edges.forEach((span, n) => {
    const w = whereRaw(q, span, 'g_', false);
    selects.push(`SELECT person_id FROM stats_participants WHERE ${w.sql.replace(/@(\w+)/g, `@$1_${n}`)}`);
    for (const [k, v] of Object.entries(w.params)) params[`${k}_${n}`] = v;
  });
  s.periods.forEach((period, n) => {
    const w = whereDays(q, period, false);
    selects.push(`SELECT person_id FROM stats_day_persons WHERE ${w.sql.replace(/@(\w+)/g, `@$1_d${n}`)}`);
    for (const [k, v] of Object.entries(w.params)) params[`${k}_d${n}`] = v;
  });
  return stmt(`SELECT count(DISTINCT person_id) FROM (${selects.join(' UNION ALL ')})`)
    .pluck()
    .get(params) as number;
}

/** On time and judged (on time + late; + unsigned past the deadline at now) per key. */
export function judgedByKey(stmt: Stmt, q: StatsQuery, s: SplitRange, k: KeySpec, groups: readonly Counters[]) {
  const post = Boolean(q.postKind || q.postId);
  const parts: { key: Key; onTime: number; judged: number }[][] = [];
  if (!post) parts.push(groups.map((r) => ({ key: r.key, onTime: r.onTime, judged: r.onTime + r.late })));
  else {
    for (const span of s.edges) {
      const w = whereRaw(q, span, 'g_', true);
      parts.push(
        stmt(`SELECT ${rawKey(k, 'g.')} AS key, sum(i.verdict = 'on-time') AS onTime,
        sum(i.verdict IN ('on-time','late')) AS judged
        FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
        WHERE ${w.sql.replace(/\b(g_\w+|post_kind|post_id)\b/g, 'i.$1')} AND i.registered_at IS NOT NULL
        GROUP BY key`).all(w.params) as { key: Key; onTime: number; judged: number }[],
      );
    }
    for (const period of s.periods) {
      const w = whereDays(q, period, true);
      const rows = stmt(`SELECT ${dayKey(k)} AS key, sum(CASE WHEN verdict = 'on-time' THEN n ELSE 0 END) AS onTime,
        sum(CASE WHEN verdict IN ('on-time','late') THEN n ELSE 0 END) AS judged
        FROM stats_day_signoff WHERE ${w.sql} GROUP BY key`).all(w.params) as {
        key: Key;
        onTime: number;
        judged: number;
      }[];
      parts.push(rekey(k, rows));
    }
  }
  if (q.unitIds?.length === 0) return new Map(sumByKey(parts).map((r) => [r.key, r]));
  const w = whereRaw(q, q, 'g_', post);
  const overdue = stmt(`SELECT ${rawKey(k, 'g.')} AS key, 0 AS onTime, count(*) AS judged
    FROM stats_invitations AS i INDEXED BY stats_invitations_unsigned JOIN stats_groups g ON g.group_id = i.group_id
    WHERE i.verdict = 'unsigned' AND i.deadline < @now AND i.registered_at IS NOT NULL
    AND ${w.sql.replace(/\b(g_\w+|post_kind|post_id)\b/g, 'i.$1')} GROUP BY key`).all(w.params) as {
    key: Key;
    onTime: number;
    judged: number;
  }[];
  parts.push(overdue);
  return new Map(sumByKey(parts).map((r) => [r.key, r]));
}
