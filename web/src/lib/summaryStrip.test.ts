import { describe, expect, it } from 'vitest';
import { stripCounts } from './summaryStrip.ts';

describe('UX-5 summary strip', () => {
  it('UX-5: counts each verdict once; pending and waiting both wait', () => {
    expect(
      stripCounts(['signed-on-time', 'signed-late', 'overdue', 'overdue', 'overdue', 'waiting', 'pending']),
    ).toEqual({ onTime: 1, late: 1, overdue: 3, waiting: 2, unconfirmed: 0 });
    expect(stripCounts(['signed-unconfirmed'])).toEqual({ onTime: 0, late: 0, overdue: 0, waiting: 0, unconfirmed: 1 });
  });
});
