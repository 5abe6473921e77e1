import { describe, expect, it } from 'vitest';
import { SIGN_BUCKETS, addHist, bucketSeconds, editHist, signBucket } from './signTimes.ts';

describe('sign-time buckets', () => {
  it('STATS-11: exact under 64 s, then within 1/64 of the seconds; buckets grow with the seconds', () => {
    for (let s = 0; s < 64; s++) expect(bucketSeconds(signBucket(s))).toBe(s);
    expect(signBucket(-5)).toBe(0);
    let last = -1;
    const wrong: number[] = [];
    for (let s = 0; s < 200_000; s += s < 5000 ? 1 : 97) {
      const b = signBucket(s);
      if (b < last || b >= SIGN_BUCKETS || Math.abs(bucketSeconds(b) - s) > s / 64) wrong.push(s);
      last = b;
    }
    expect(wrong).toEqual([]);
    for (const e of [6, 10, 20, 39]) {
      expect(signBucket(2 ** e) - signBucket(2 ** e - 1)).toBe(1);
      expect(bucketSeconds(signBucket(2 ** e))).toBe(2 ** e + 2 ** (e - 6));
    }
    expect(signBucket(2 ** 45)).toBe(SIGN_BUCKETS - 1);
  });

  it('STATS-11: histogram cells merge by adding, and edits keep one canonical form', () => {
    let cell: string | null = null;
    for (const b of [70, 3, 70, 900]) cell = editHist(cell, b, 1);
    expect(cell).toBe('3:1,70:2,900:1');
    cell = editHist(editHist(cell, 70, -1), 900, -1);
    expect(cell).toBe('3:1,70:1');
    expect(editHist(editHist(cell, 3, -1), 70, -1)).toBeNull();
    const into = new Uint32Array(SIGN_BUCKETS);
    addHist(`${cell},70:4,12:10`, into);
    addHist(null, into);
    expect([into[3], into[12], into[70]]).toEqual([1, 10, 5]);
  });
});
