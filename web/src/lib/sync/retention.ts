/**
 * KEEP-1: closed groups leave the device a retention period after their closure (the admin's
 * MUSTER_CLOSED_RETENTION_DAYS, served by `GET /api/device-policy`): their document and photos are deleted, the
 * list row stays as the server's header ("not on this device"). Never a group with changes the relay has not
 * acknowledged, records it refused (kept to copy, SYNC-5), one open on screen, or one on a leader's legal hold
 * (KEEP-2). Pure: tested in Node.
 */
import type { GroupIndexFields } from '../db/schema.ts';

export const DAY_MS = 24 * 3600_000;
/** Days a closed group stays on the device unless the server says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

/** The retention the server sent, kept within 1..3650 days. */
export function retentionDays(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULT_RETENTION_DAYS;
  return Math.min(3650, Math.max(1, Math.round(v)));
}

/** The groups whose content leaves the device now (server time `now`). */
export function toRemove(
  rows: readonly GroupIndexFields[],
  now: number,
  days: number,
  keep: (id: string) => boolean = () => false,
): string[] {
  const limit = days * DAY_MS;
  return rows
    .filter((r) => {
      const closedAt = r.status?.closedAt ?? null;
      if (closedAt === null || now - closedAt <= limit) return false;
      if (r.pending > 0 || typeof r.removedAt === 'number') return false;
      // KEEP-2: a leader's legal hold keeps the group
      if ((r.status?.heldAt ?? null) !== null) return false;
      return !keep(r.id);
    })
    .map((r) => r.id);
}
