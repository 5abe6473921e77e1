/**
 * STATS-10: the rollups every StatsStore keeps beside the per-group rows, at two spans: a calendar day in UTC+8 (the
 * deployment's zone and the dashboard's default) and a block of four weeks (28 days from a Monday). Per span start,
 * unit, sub-bureau and incident type the group counters; per span start, unit, incident type, post, verdict, basis
 * and required-ness the invitations with the histogram of their times to sign (STATS-11, signTimes.ts); per span
 * start, unit, incident type and person the participations. A dashboard query reads the blocks wholly inside its
 * range, the days around them and the per-group rows only for the partial days at its edges (trends read days only,
 * and in another time zone the per-group rows).
 */
import type { TrendBucket } from './statsStore.ts';

export const DAY_MS = 86_400_000;
/** Minutes east of UTC of a rollup day. */
export const ROLLUP_TZ_MINUTES = 480;
const TZ_MS = ROLLUP_TZ_MINUTES * 60_000;

/** The rollup day of a server time. */
export const dayOf = (at: number): number => Math.floor((at + TZ_MS) / DAY_MS);
/** The server time a rollup day starts at. */
export const dayStart = (day: number): number => day * DAY_MS - TZ_MS;

/** Rollup spans in days: a day, and a block of four weeks. */
export const DAY_SPAN = 1;
export const BLOCK_SPAN = 28;

/** The first day of the span holding a day (blocks start on a Monday: day 0 of the epoch was a Thursday). */
export const spanStart = (day: number, span: number): number => Math.floor((day + 3) / span) * span - 3;

/** Rollup rows of one span whose start day lies in `[d0, d1)`. */
export interface Period {
  span: number;
  d0: number;
  d1: number;
}

/** A range split into whole rollup spans (none when the range holds no whole day) and the raw edges around them. */
export interface SplitRange {
  periods: Period[];
  edges: { from: number; to: number }[];
}

/** Splits `[from, to)`: whole blocks (when `blocks`), whole days around them, raw edges. */
export function splitRange(from: number, to: number, blocks = true): SplitRange {
  const first = dayStart(dayOf(from)) === from ? dayOf(from) : dayOf(from) + 1;
  const last = dayOf(to);
  if (first >= last) return { periods: [], edges: [{ from, to }] };
  const edges: SplitRange['edges'] = [];
  if (dayStart(first) > from) edges.push({ from, to: dayStart(first) });
  if (to > dayStart(last)) edges.push({ from: dayStart(last), to });
  const b0 = spanStart(first + BLOCK_SPAN - 1, BLOCK_SPAN);
  const b1 = spanStart(last, BLOCK_SPAN);
  if (!blocks || b0 >= b1) return { periods: [{ span: DAY_SPAN, d0: first, d1: last }], edges };
  const periods: Period[] = [{ span: BLOCK_SPAN, d0: b0, d1: b1 }];
  if (first < b0) periods.push({ span: DAY_SPAN, d0: first, d1: b0 });
  if (b1 < last) periods.push({ span: DAY_SPAN, d0: b1, d1: last });
  return { periods, edges };
}

/** The trend bucket's start (server time) of a rollup day, in the rollup zone; weeks start on Monday. */
export function bucketOfDay(day: number, bucket: TrendBucket): number {
  if (bucket === 'day') return dayStart(day);
  // Day 0 of the epoch was a Thursday: three days more make weeks start on Monday.
  return Math.floor((day + 3) / 7) * 7 * DAY_MS - TZ_MS - 3 * DAY_MS;
}

/** Sums rows of counters that share a key (rollup days and raw edges of one query). */
export function sumByKey<K, R extends { key: K }>(parts: readonly (readonly R[])[]): R[] {
  const out = new Map<K, R>();
  for (const rows of parts) {
    for (const r of rows) {
      const had = out.get(r.key);
      if (!had) {
        out.set(r.key, { ...r });
        continue;
      }
      const sum = had as Record<string, unknown>;
      for (const [k, v] of Object.entries(r)) if (k !== 'key' && typeof v === 'number') sum[k] = (sum[k] as number) + v;
    }
  }
  return [...out.values()];
}
