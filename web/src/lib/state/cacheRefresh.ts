/**
 * The cached directory, templates, approval types, assistant name and device policy, fetched again when online.
 * DIR-7: a fetch that failed (a timeout, a 5xx, a dropped connection) is tried again with a growing pause while
 * syncing, so one lost reply does not leave one-tap empty until the next `online`.
 */
import { api } from '../sync/api.ts';
import type { Network } from '../sync/network.ts';
import { serverClock } from '../sync/serverClock.ts';
import type { AppLock } from './appLock.svelte.ts';
import type { AssistantNameState } from './assistantName.svelte.ts';
import type { ClosedRetention } from './closedRetention.ts';
import type { Directory } from './directory.svelte.ts';
import type { Session } from './session.svelte.ts';

/** DIR-7: pauses before fetching again after a failure: 5 s, 15 s, 45 s, … 2 min. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 120_000;

export interface CacheRefreshDeps {
  session: Session;
  network: Network;
  directory: Directory;
  assistantName: AssistantNameState;
  lock: AppLock;
  retention: ClosedRetention;
  /** Renews the token first when it is about to expire. */
  renewIfDue: () => Promise<void>;
}

export class CacheRefresh {
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;

  constructor(private readonly deps: CacheRefreshDeps) {}

  /** Refreshes from now on, and retries after failures (between a login and the logout). */
  start(): void {
    this.running = true;
    this.refresh();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retries = 0;
  }

  /** Fetches everything again when logged in and online. */
  refresh(): void {
    if (!this.deps.session.token || !this.deps.network.online) return;
    void this.refreshNow();
  }

  private retry(e: unknown): void {
    console.warn('muster: directory or templates not refreshed; retrying', e);
    if (this.retryTimer) return;
    const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 3 ** this.retries++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.refresh();
    }, wait);
  }

  private async refreshNow(): Promise<void> {
    const { session, directory, assistantName, lock, retention } = this.deps;
    await this.deps.renewIfDue();
    const token = session.token;
    if (!token) return;
    void assistantName.refresh(token);
    // LOCK-2: the lock time an admin set
    void api
      .devicePolicy(token)
      .then((p) => {
        lock.setMinutes(p.lockMinutes);
        if (p.closedRetentionDays !== undefined) retention.setDays(p.closedRetentionDays);
        serverClock.observe(p.serverTime);
        void retention.sweep();
      })
      .catch(() => {});
    await directory
      .refresh(token)
      .then(
        () => (this.retries = 0),
        (e: unknown) => this.retry(e),
      )
      .then(() => session.refreshMe())
      .then(() => {
        const p = session.person;
        if (p) directory.setMyDuty(p.id, p.postIds, serverClock.now());
      });
  }
}
