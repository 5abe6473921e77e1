/**
 * Pure arithmetic of the dashboard figures, shared by every StatsStore: percentiles over sign-time histograms
 * (nearest rank, STATS-11), sign-off tallies, the union of duty intervals.
 */
import { SIGN_BUCKETS, addHist, bucketSeconds, signBucket } from './signTimes.ts';
import type { DutyInterval, SignOffFigures } from './statsStore.ts';

/**
 * STATS-3 STATS-11: the nearest-rank percentile (rank ⌈p·n⌉, 1-based) of a histogram of sign-time buckets
 * (signTimes.ts), reported as its bucket's seconds.
 */
export function percentileOf(hist: Uint32Array, p: number): number | null {
  let n = 0;
  for (let b = 0; b < hist.length; b++) n += hist[b]!;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= rank) return bucketSeconds(b);
  }
  return null;
}

/** A row of the invitation histogram query. */
export interface VerdictRow {
  post_id: string;
  post_kind: string;
  verdict: string;
  basis: string;
  sec: number | null;
  /** STATS-10 STATS-11: a rollup's histogram of sign-time buckets (signTimes.ts) instead of `sec`. */
  hist?: string | null;
  overdue: number;
  n: number;
}

export class SignOffTally {
  invited = 0;
  onTime = 0;
  late = 0;
  overdue = 0;
  waiting = 0;
  attestedOnTime = 0;
  attestedLate = 0;
  /** Seconds to sign of the judged sign-offs, counted per bucket (STATS-11). */
  readonly #hist = new Uint32Array(SIGN_BUCKETS);

  add(r: VerdictRow): void {
    this.invited += r.n;
    if (r.verdict === 'on-time' || r.verdict === 'late') {
      if (r.verdict === 'on-time') this.onTime += r.n;
      else this.late += r.n;
      if (r.basis === 'attested') {
        if (r.verdict === 'on-time') this.attestedOnTime += r.n;
        else this.attestedLate += r.n;
      }
      if (r.sec !== null) this.#hist[signBucket(r.sec)]! += r.n;
      if (r.hist) addHist(r.hist, this.#hist);
    } else if (r.verdict === 'unsigned' && r.overdue) this.overdue += r.n;
    else this.waiting += r.n;
  }

  figures(): SignOffFigures {
    const hist = this.#hist;
    const judged = this.onTime + this.late + this.overdue;
    return {
      invited: this.invited,
      onTime: this.onTime,
      late: this.late,
      overdue: this.overdue,
      waiting: this.waiting,
      onTimeRate: judged === 0 ? null : this.onTime / judged,
      medianSeconds: percentileOf(hist, 0.5),
      p90Seconds: percentileOf(hist, 0.9),
      attestedOnTime: this.attestedOnTime,
      attestedLate: this.attestedLate,
    };
  }
}

/** STATS-5: how long within [from, to) at least one person was on duty, given one post's intervals. */
export function coveredMs(intervals: readonly DutyInterval[], from: number, to: number): number {
  const spans = intervals
    .map((i) => [Math.max(from, i.startAt), Math.min(to, i.endAt ?? to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curA = -1;
  let curB = -1;
  for (const [a, b] of spans) {
    if (a > curB) {
      total += curB - curA;
      curA = a;
      curB = b;
    } else if (b > curB) curB = b;
  }
  return total + (curB - curA);
}
