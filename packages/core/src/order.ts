/**
 * TL-1: order is derived, never taken from positions: server stamp when known, else device time, then id.
 */
export interface Orderable {
  id: string;
  deviceTime: number;
  serverTime: number | null;
}

export function compareRecords(a: Orderable, b: Orderable): number {
  const ta = a.serverTime ?? a.deviceTime;
  const tb = b.serverTime ?? b.deviceTime;
  if (ta !== tb) return ta - tb;
  if (a.deviceTime !== b.deviceTime) return a.deviceTime - b.deviceTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
