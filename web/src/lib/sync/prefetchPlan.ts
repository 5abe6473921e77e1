/**
 * OFFL-1: which groups the device fetches in the background while online, so a group in the list can be read and
 * written offline without having been opened: every open group held for the officer, and groups closed within
 * RECENT_CLOSED_MS, most recently changed first, whose document this device does not hold as of the server's last
 * change. A storage budget caps it. Pure: tested in Node.
 */
import type { GroupIndexFields } from '../db/schema.ts';

/** Closed groups stay worth fetching for this long after their closure. */
export const RECENT_CLOSED_MS = 7 * 24 * 3600_000;
/** Background fetching stops once the origin uses this share of its quota … */
export const BUDGET_SHARE = 0.5;
/** … or this many bytes, whichever is less. */
export const BUDGET_MAX_BYTES = 1024 * 1024 * 1024;

export type Readiness = 'ready' | 'fetching' | 'not-ready' | 'removed';

/** Whether the device holds the group's document (fetched, opened or started here). */
export function isReady(row: Pick<GroupIndexFields, 'syncedAt'>): boolean {
  return typeof row.syncedAt === 'number';
}

/** What the list row says of the group offline. */
export function readinessOf(
  row: Pick<GroupIndexFields, 'id' | 'syncedAt' | 'removedAt'>,
  fetching: string | null,
): Readiness {
  if (fetching === row.id) return 'fetching';
  if (isReady(row)) return 'ready';
  // KEEP-1: closed past the retention, its content left the device
  return typeof row.removedAt === 'number' ? 'removed' : 'not-ready';
}

/** Whether the group is one to hold offline at `now` (server time). */
export function wanted(row: Pick<GroupIndexFields, 'status'>, now: number, recentMs = RECENT_CLOSED_MS): boolean {
  const closedAt = row.status?.closedAt ?? null;
  return closedAt === null || now - closedAt <= recentMs;
}

/** Whether the device's copy is missing or older than the server's last change. */
export function stale(row: Pick<GroupIndexFields, 'syncedAt' | 'updatedAt'>): boolean {
  return !isReady(row) || row.updatedAt > (row.syncedAt as number);
}

/**
 * The next groups to fetch, in order: wanted and stale rows (the caller passes the officer's list rows, in list
 * order), missing ones before stale ones, leaving out `skip` (open already, or failed a moment ago).
 */
export function prefetchOrder(
  rows: readonly GroupIndexFields[],
  now: number,
  skip: ReadonlySet<string> = new Set(),
  /** KEEP-1: never fetch a closed group the retention would remove again. */
  recentMs = RECENT_CLOSED_MS,
): string[] {
  const todo = rows.filter((r) => !skip.has(r.id) && wanted(r, now, recentMs) && stale(r));
  return [...todo.filter((r) => !isReady(r)), ...todo.filter((r) => isReady(r))].map((r) => r.id);
}

/** The bytes the background fetch may fill the origin's storage to (null: no estimate, no cap but the browser's). */
export function budgetBytes(quota: number | undefined): number | null {
  if (quota === undefined || !Number.isFinite(quota) || quota <= 0) return null;
  return Math.min(quota * BUDGET_SHARE, BUDGET_MAX_BYTES);
}

/** Whether another group may be fetched at this storage estimate. */
export function withinBudget(estimate: { usage?: number; quota?: number } | null): boolean {
  const budget = budgetBytes(estimate?.quota);
  if (budget === null || estimate?.usage === undefined) return true;
  return estimate.usage < budget;
}
