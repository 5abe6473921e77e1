/**
 * STATS-10: the daily rollups every StatsStore keeps beside the per-group rows. A rollup day is a calendar day in
 * UTC+8 (the deployment's zone and the dashboard's default): per day, unit, sub-bureau and incident type the group
 * counters; per day, unit, incident type, post, verdict, basis and required-ness the invitations with the exact
 * multiset of their whole seconds to sign (sorted, comma-separated, so median and p90 stay exact); per day, unit,
 * incident type and person the participations. A dashboard query reads the rollups for the whole days of its range
 * and the per-group rows only for the partial days at its edges (and for trends in another time zone).
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

/** A range split into whole rollup days `[d0, d1)` (null when none) and the raw edges around them. */
export interface SplitRange {
  days: { d0: number; d1: number } | null;
  edges: { from: number; to: number }[];
}

export function splitRange(from: number, to: number): SplitRange {
  const first = dayStart(dayOf(from)) === from ? dayOf(from) : dayOf(from) + 1;
  const last = dayOf(to);
  if (first >= last) return { days: null, edges: [{ from, to }] };
  const edges: SplitRange['edges'] = [];
  if (dayStart(first) > from) edges.push({ from, to: dayStart(first) });
  if (to > dayStart(last)) edges.push({ from: dayStart(last), to });
  return { days: { d0: first, d1: last }, edges };
}

/** The trend bucket's start (server time) of a rollup day, in the rollup zone; weeks start on Monday. */
export function bucketOfDay(day: number, bucket: TrendBucket): number {
  if (bucket === 'day') return dayStart(day);
  // Day 0 of the epoch was a Thursday: three days more make weeks start on Monday.
  return Math.floor((day + 3) / 7) * 7 * DAY_MS - TZ_MS - 3 * DAY_MS;
}

/** Whole seconds from registration to the judged sign-off, as the per-group rows' SQL computes them. */
export const secondsToSign = (registeredAt: number, signedAt: number): number =>
  Math.trunc((signedAt - registeredAt) / 1000);

/** Parses a rollup cell's seconds (`"12,30,30"`; null or '' for none), appending to `out`. */
export function parseSecs(text: string | null, out: number[] = []): number[] {
  if (!text) return out;
  // By character codes: a six months' dashboard reads a few hundred thousand of them.
  let n = 0;
  let sign = 1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44) {
      out.push(sign * n);
      n = 0;
      sign = 1;
    } else if (c === 45) sign = -1;
    else n = n * 10 + (c - 48);
  }
  out.push(sign * n);
  return out;
}

/** The cell's seconds with `sec` added (sign 1) or one occurrence removed (sign -1); null when empty. */
export function editSecs(text: string | null, sec: number, sign: 1 | -1): string | null {
  const xs = parseSecs(text);
  if (sign === 1) {
    let k = xs.length;
    while (k > 0 && xs[k - 1]! > sec) k--;
    xs.splice(k, 0, sec);
  } else {
    const k = xs.indexOf(sec);
    if (k >= 0) xs.splice(k, 1);
  }
  return xs.length ? xs.join(',') : null;
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
