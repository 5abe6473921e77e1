/**
 * KEEP-1: closed groups past the retention leave this device (never with unsent work, records the relay refused,
 * or while open on screen). The retention is the admin's setting, kept on the device.
 */
import type { GroupIndexFields } from '../db/schema.ts';
import { removeContent } from '../db/groups.ts';
import { RECENT_CLOSED_MS } from '../sync/prefetchPlan.ts';
import { DAY_MS, DEFAULT_RETENTION_DAYS, retentionDays, toRemove } from '../sync/retention.ts';

const RETENTION_KEY = 'muster.closedRetentionDays';

function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** SYNC-5: records the relay refused stay on the device (to copy): such a group is kept. */
function hasRefused(id: string): boolean {
  const raw = readLocal(`muster.refused.${id}`);
  return raw !== null && raw !== '[]';
}

export interface ClosedRetentionDeps {
  /** Someone is logged in (nothing is swept for no one). */
  loggedIn: () => boolean;
  rows: () => readonly GroupIndexFields[];
  /** A group open on screen (it has a live connection) stays. */
  isOpen: (id: string) => boolean;
  now: () => number;
}

export class ClosedRetention {
  /** Days a closed group stays on this device. */
  private days = retentionDays(Number(readLocal(RETENTION_KEY) ?? DEFAULT_RETENTION_DAYS));
  private sweeping = false;

  constructor(private readonly deps: ClosedRetentionDeps) {}

  /** OFFL-1: how far back a closed group is still fetched to the device. */
  recentMs(): number {
    return Math.min(RECENT_CLOSED_MS, this.days * DAY_MS);
  }

  /** The admin's setting (device policy), kept on the device for the next start. */
  setDays(days: number): void {
    this.days = retentionDays(days);
    try {
      localStorage.setItem(RETENTION_KEY, String(this.days));
    } catch {
      // kept for this run
    }
  }

  async sweep(): Promise<void> {
    if (this.sweeping || !this.deps.loggedIn()) return;
    this.sweeping = true;
    try {
      const now = this.deps.now();
      const keep = (id: string) => this.deps.isOpen(id) || hasRefused(id);
      for (const id of toRemove(this.deps.rows(), now, this.days, keep))
        await removeContent(id, now).catch((e: unknown) => console.warn('muster: removing a closed group failed', e));
    } finally {
      this.sweeping = false;
    }
  }
}
