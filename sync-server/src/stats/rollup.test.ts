import { describe, expect, it } from 'vitest';
import { BLOCK_SPAN, DAY_SPAN, dayOf, dayStart, spanStart, splitRange } from './rollup.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('rollup spans', () => {
  it('STATS-10: a range is whole blocks, whole days around them and raw edges, covering it once', () => {
    const end = dayStart(dayOf(1_900_000_000_000));
    const from = end - 69 * DAY - 5 * HOUR;
    const to = end - DAY + 3 * HOUR;
    const s = splitRange(from, to);
    expect(s.periods.map((p) => p.span).sort()).toEqual([BLOCK_SPAN, DAY_SPAN, DAY_SPAN].sort());
    const block = s.periods.find((p) => p.span === BLOCK_SPAN)!;
    expect(spanStart(block.d0, BLOCK_SPAN)).toBe(block.d0);
    // Blocks start on a Monday (1970-01-05 was one).
    expect((block.d0 - 4) % 7).toBe(0);
    const days = new Set<number>();
    for (const p of s.periods) for (let d = p.d0; d < p.d1; d++) days.add(d);
    expect(days.size).toBe(s.periods.reduce((n, p) => n + p.d1 - p.d0, 0));
    expect(Math.min(...days)).toBe(dayOf(from) + 1);
    expect(Math.max(...days)).toBe(dayOf(to) - 1);
    expect(s.edges).toEqual([
      { from, to: dayStart(dayOf(from) + 1) },
      { from: dayStart(dayOf(to)), to },
    ]);
    // Trends read days only; a range within one day is raw.
    expect(splitRange(from, to, false).periods).toEqual([{ span: DAY_SPAN, d0: dayOf(from) + 1, d1: dayOf(to) }]);
    expect(splitRange(end + HOUR, end + 2 * HOUR)).toEqual({
      periods: [],
      edges: [{ from: end + HOUR, to: end + 2 * HOUR }],
    });
  });
});
