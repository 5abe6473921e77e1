/**
 * HIST-4: which rows of a long list to draw: those in the viewport plus an overscan above and below, with the
 * heights of the rows left out kept as spacers so the page scrolls as if every row were there. Pure: tested in Node.
 */

/** Lists up to this many rows draw every row (nothing to gain, and find-in-page sees them all). */
export const WINDOW_FROM = 80;

export interface WindowInput {
  count: number;
  /** Page offset of the list's top edge (px). */
  listTop: number;
  /** Page scroll offset and viewport height (px). */
  scrollY: number;
  viewport: number;
  /** Height of one row including its gap (px), as measured. */
  rowHeight: number;
  overscan?: number;
}

export interface WindowRange {
  start: number;
  end: number;
  /** Spacer heights before and after the drawn rows (px). */
  before: number;
  after: number;
}

export function windowRange(w: WindowInput): WindowRange {
  if (w.count <= WINDOW_FROM) return { start: 0, end: w.count, before: 0, after: 0 };
  const h = Math.max(1, w.rowHeight);
  const over = w.overscan ?? 8;
  const first = Math.floor((w.scrollY - w.listTop) / h);
  const visible = Math.ceil(w.viewport / h) + 1;
  const start = Math.min(Math.max(0, first - over), Math.max(0, w.count - 1));
  const end = Math.min(w.count, Math.max(start + 1, first + visible + over));
  return { start, end, before: start * h, after: (w.count - end) * h };
}
