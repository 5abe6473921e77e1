/**
 * What both statistics stores (SQLite and PostgreSQL) make of their query rows: the figures of a range, duty
 * coverage, trend points and ranking rows, and the dump's tables. Only the queries differ between the stores.
 */
import type { PostKind } from '@muster/core';
import { SignOffTally } from './figuresMath.ts';
import type { VerdictRow } from './figuresMath.ts';
import type { Counters, Key } from './statsSql.ts';
import type { Figures, RankRow, StatsDump, StatsQuery, TrendPoint } from './statsStore.ts';

const NO_COUNTERS: Counters = {
  key: 0,
  started: 0,
  closed: 0,
  closedTimely: 0,
  escalations: 0,
  groupsEscalated: 0,
  participantTimes: 0,
  onTime: 0,
  late: 0,
};

/** STATS-3/4: the figures of a range from its one counters row (none when nothing matched) and its verdict rows. */
export function figuresOf(
  counters: Counters | undefined,
  verdicts: Iterable<VerdictRow>,
  distinctParticipants: number,
  onDuty: Figures['onDuty'],
): Figures {
  const { key: _k, onTime: _o, late: _l, ...agg } = counters ?? NO_COUNTERS;
  const all = new SignOffTally();
  const kinds = new Map<string, SignOffTally>();
  const posts = new Map<string, { kind: string; t: SignOffTally }>();
  for (const r of verdicts) {
    all.add(r);
    if (!kinds.has(r.post_kind)) kinds.set(r.post_kind, new SignOffTally());
    kinds.get(r.post_kind)!.add(r);
    if (!posts.has(r.post_id)) posts.set(r.post_id, { kind: r.post_kind, t: new SignOffTally() });
    posts.get(r.post_id)!.t.add(r);
  }
  return {
    ...agg,
    timelyRate: agg.closed === 0 ? null : agg.closedTimely / agg.closed,
    distinctParticipants,
    signOff: all.figures(),
    byKind: [...kinds].sort().map(([k, t]) => ({ postKind: k as PostKind, ...t.figures() })),
    byPost: [...posts]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([id, x]) => ({ postId: id, postKind: x.kind as PostKind, ...x.t.figures() })),
    onDuty,
  };
}

/** STATS-5: the window duty is measured over (to now at the latest), or null when there is nothing to measure. */
export function dutyWindow(q: StatsQuery, posts: readonly string[]): { from: number; end: number } | null {
  const end = Math.min(q.to, q.now);
  return posts.length === 0 || end <= q.from ? null : { from: q.from, end };
}

/** STATS-5: how much of the window the required posts were covered, given the covered time (dutySql.ts). */
export function onDutyOf(
  posts: readonly string[],
  window: { from: number; end: number } | null,
  covered: number,
): Figures['onDuty'] {
  if (!window) return { requiredPosts: posts.length, rate: null, coveredMs: 0, totalMs: 0 };
  const total = posts.length * (window.end - window.from);
  return { requiredPosts: posts.length, rate: covered / total, coveredMs: covered, totalMs: total };
}

export type KeyedRow = { key: Key } & Omit<TrendPoint, 'at'>;

/** Trend points or ranking rows: the groups' counters per key, with on time and judged per key. */
export function withJudged(
  groups: readonly Counters[],
  sign: ReadonlyMap<Key, { onTime: number; judged: number }>,
): KeyedRow[] {
  return groups.map((r) => ({
    key: r.key,
    started: r.started,
    closed: r.closed,
    closedTimely: r.closedTimely,
    escalations: r.escalations,
    participantTimes: r.participantTimes,
    onTime: sign.get(r.key)?.onTime ?? 0,
    judged: sign.get(r.key)?.judged ?? 0,
  }));
}

/** STATS-6: trend points in time order. */
export const trendPoints = (rows: readonly KeyedRow[]): TrendPoint[] =>
  rows.map(({ key, ...r }) => ({ at: Number(key), ...r })).sort((a, b) => a.at - b.at);

/** STATS-6: ranking rows by id, those without a unit or sub-bureau left out. */
export const rankRows = (rows: readonly KeyedRow[]): RankRow[] =>
  rows
    .filter((r) => r.key !== null && r.key !== '')
    .map(({ key, ...r }) => ({ id: String(key), ...r }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Every table of the projection in a fixed order (the rebuild test compares two stores' dumps). */
export async function dumpWith(all: (sql: string) => unknown[] | Promise<unknown[]>): Promise<StatsDump> {
  return {
    // The source version is bookkeeping of the catch-up, not a fact: it is left out.
    groups: (await all('SELECT * FROM stats_groups ORDER BY group_id')).map((r) => {
      const { source_updated_at: _at, ...rest } = r as Record<string, unknown>;
      return rest;
    }),
    invitations: await all('SELECT * FROM stats_invitations ORDER BY group_id, invitation_id'),
    participants: await all('SELECT * FROM stats_participants ORDER BY group_id, person_id'),
    duty: await all('SELECT * FROM stats_duty ORDER BY post_id, person_id, start_at'),
    rollups: [
      ...(await all('SELECT * FROM stats_day_groups ORDER BY span, day, unit_id, incident_type, sub_bureau_id')),
      ...(await all(`SELECT * FROM stats_day_signoff
          ORDER BY span, day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required`)),
      ...(await all('SELECT * FROM stats_day_persons ORDER BY span, day, unit_id, incident_type, person_id')),
    ],
  };
}
