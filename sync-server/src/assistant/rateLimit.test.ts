import { describe, expect, it } from 'vitest';
import { RateLimit } from './rateLimit.ts';

describe('look-up rate limit', () => {
  it('ASSIST-7: a person gets at most N look-ups a minute; others are not affected; the window slides', () => {
    const r = new RateLimit(3, 60_000);
    expect([r.take('a', 0), r.take('a', 10), r.take('a', 20)]).toEqual([true, true, true]);
    expect(r.take('a', 30)).toBe(false);
    expect(r.take('b', 30)).toBe(true);
    expect(r.take('a', 60_000)).toBe(true); // the look-up at 0 left the window
    expect(r.take('a', 60_001)).toBe(false);
  });
});
