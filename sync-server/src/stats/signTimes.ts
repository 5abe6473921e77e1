/**
 * STATS-11: times to sign counted in fixed logarithmic buckets, so that the histogram of any set of sign-offs is the
 * sum of the histograms of its parts (daily and four-week rollups merge by adding counts). Whole seconds under 64
 * each have their own bucket (exact); from 64 s on, every doubling is cut into 32 buckets of equal width, so a
 * bucket's width is at most 1/32 of its lower bound. A percentile is reported as the middle of its bucket: within
 * 1/64 (1.6 %) of the exact nearest-rank value, exact under 64 s. Negative times (an attested sign-off before the
 * registration reached the server) count as 0.
 *
 * A rollup cell holds a histogram as text: `bucket:count` pairs by ascending bucket, comma-separated (null for
 * none), one canonical form whether kept change by change or rebuilt in bulk.
 */

/** Buckets 0..63 are seconds; then 32 per doubling up to 2^40 s (beyond: the last bucket). */
const EXACT = 64;
const SUB = 32;
const MAX_EXP = 40;
export const SIGN_BUCKETS = EXACT + (MAX_EXP - 6) * SUB;

/** The bucket of a whole number of seconds. */
export function signBucket(sec: number): number {
  if (sec < EXACT) return Math.max(0, sec);
  const e = Math.floor(Math.log2(sec));
  // log2 of an exact power of two may round below it: correct by the integer bounds.
  const exp = 2 ** e > sec ? e - 1 : 2 ** (e + 1) <= sec ? e + 1 : e;
  if (exp >= MAX_EXP) return SIGN_BUCKETS - 1;
  const m = Math.floor(sec / 2 ** (exp - 5)) - SUB;
  return EXACT + (exp - 6) * SUB + m;
}

/** The seconds a bucket reports: the second itself under 64 s, else the middle of the bucket. */
export function bucketSeconds(b: number): number {
  if (b < EXACT) return b;
  const exp = Math.floor((b - EXACT) / SUB) + 6;
  const m = (b - EXACT) % SUB;
  const width = 2 ** (exp - 5);
  return (SUB + m) * width + width / 2;
}

/**
 * The same bucket in SQL (SQLite and PostgreSQL) of an integer expression of seconds, by comparisons and shifts
 * only (no floating point logarithm), so the rebuilt rollups equal those kept change by change.
 */
export function signBucketSql(sec: string): string {
  const parts = [`WHEN ${sec} IS NULL THEN NULL`, `WHEN ${sec} < 0 THEN 0`, `WHEN ${sec} < ${EXACT} THEN ${sec}`];
  for (let exp = 6; exp < MAX_EXP; exp++) {
    const base = EXACT + (exp - 6) * SUB - SUB;
    parts.push(`WHEN ${sec} < ${2 ** (exp + 1)} THEN ${base} + (${sec} >> ${exp - 5})`);
  }
  return `(CASE ${parts.join(' ')} ELSE ${SIGN_BUCKETS - 1} END)`;
}

/** Adds the counts of a histogram cell (`"3:1,70:2"`) into `into` (indexed by bucket). */
export function addHist(text: string | null, into: Uint32Array, times = 1): void {
  if (!text) return;
  // By character codes: a dashboard merges a few thousand cells.
  let b = 0;
  let n = 0;
  let inCount = false;
  for (let k = 0; k <= text.length; k++) {
    const c = k < text.length ? text.charCodeAt(k) : 44;
    if (c === 58) inCount = true;
    else if (c === 44) {
      into[b]! += n * times;
      b = 0;
      n = 0;
      inCount = false;
    } else if (inCount) n = n * 10 + (c - 48);
    else b = b * 10 + (c - 48);
  }
}

/** The cell with one sign-off of bucket `b` added (sign 1) or taken out (sign -1); null when none is left. */
export function editHist(text: string | null, b: number, sign: 1 | -1): string | null {
  const counts = new Map<number, number>();
  for (const pair of text ? text.split(',') : []) {
    const [k, v] = pair.split(':');
    counts.set(Number(k), Number(v));
  }
  const n = (counts.get(b) ?? 0) + sign;
  if (n > 0) counts.set(b, n);
  else counts.delete(b);
  if (counts.size === 0) return null;
  return [...counts]
    .sort((x, y) => x[0] - y[0])
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
}
