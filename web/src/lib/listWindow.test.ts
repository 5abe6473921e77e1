import { describe, expect, it } from 'vitest';
import { WINDOW_FROM, windowRange } from './listWindow.ts';

describe('HIST-4 list window', () => {
  it('HIST-4: draws every row of a short list', () => {
    expect(windowRange({ count: WINDOW_FROM, listTop: 0, scrollY: 5000, viewport: 800, rowHeight: 100 })).toEqual({
      start: 0,
      end: WINDOW_FROM,
      before: 0,
      after: 0,
    });
  });

  it('HIST-4: draws the rows in view plus the overscan, spacers keep the full height', () => {
    const w = { count: 2000, listTop: 200, viewport: 800, rowHeight: 100, overscan: 5 };
    expect(windowRange({ ...w, scrollY: 0 })).toEqual({ start: 0, end: 12, before: 0, after: 1988 * 100 });
    const mid = windowRange({ ...w, scrollY: 100_200 });
    expect(mid).toEqual({ start: 995, end: 1014, before: 99_500, after: 986 * 100 });
    expect(mid.before + (mid.end - mid.start) * 100 + mid.after).toBe(2000 * 100);
    const end = windowRange({ ...w, scrollY: 10_000_000 });
    expect(end.end).toBe(2000);
    expect(end.start).toBe(1999);
  });
});
