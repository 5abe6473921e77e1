import { describe, expect, it } from 'vitest';
import { coveredMs, percentileOf } from './figuresMath.ts';
import { SIGN_BUCKETS, signBucket } from './signTimes.ts';
import { toCsv } from './csv.ts';

describe('figures arithmetic', () => {
  it('STATS-3 STATS-11: nearest-rank percentiles over the sign-time buckets', () => {
    const hist = new Uint32Array(SIGN_BUCKETS);
    hist[signBucket(30)] = 1;
    hist[signBucket(10)] = 2;
    hist[signBucket(600)] = 1;
    // Sorted: 10, 10, 30, 600 → median rank 2 = 10, p90 rank 4 = 600's bucket: [592, 608), reported 600.
    expect(percentileOf(hist, 0.5)).toBe(10);
    expect(percentileOf(hist, 0.9)).toBe(600);
    hist[signBucket(600)] = 0;
    hist[signBucket(601)] = 1;
    expect(percentileOf(hist, 0.9)).toBe(600);
    expect(percentileOf(new Uint32Array(SIGN_BUCKETS), 0.5)).toBeNull();
  });

  it('STATS-5: covered time is the union of overlapping duty intervals within the range', () => {
    const iv = (startAt: number, endAt: number | null) => ({ postId: 'p', personId: 'x', startAt, endAt });
    expect(coveredMs([iv(0, 50), iv(40, 60), iv(80, null)], 10, 100)).toBe(50 + 20);
    expect(coveredMs([], 0, 100)).toBe(0);
  });

  it('STATS-7: CSV quotes commas and quotes and neutralises formulas', () => {
    expect(toCsv([{ a: 'x,y', b: '=SUM(A1)', c: -3, d: 'say "hi"' }])).toBe(
      'a,b,c,d\r\n"x,y",\'=SUM(A1),-3,"say ""hi"""\r\n',
    );
  });
});
