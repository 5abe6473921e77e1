/**
 * OFFL-1: the background fetch. While online with a token, the groups of the officer's list that the device does
 * not hold as of the server's last change (open ones and recently closed ones, `prefetchPlan.ts`) are synced one at
 * a time on their own socket, closed as soon as the sync completed, until none is left or the storage budget is
 * reached. The list row shows each group's offline readiness.
 */
import type { GroupIndexFields } from '../db/schema.ts';
import { markSynced } from '../db/groups.ts';
import { prefetchOrder, withinBudget } from '../sync/prefetchPlan.ts';
import type { Connections } from './connections.svelte.ts';

/** Longest one group's first sync may take before the fetch moves on (it is tried again later). */
const SYNC_TIMEOUT_MS = 60_000;
/** A group whose fetch failed waits this long before it is tried again. */
const RETRY_AFTER_MS = 60_000;

/** Resolves when the main thread is idle (at most 1 s later): the background fetch never crowds out the officer. */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 50);
  });
}

export interface PrefetchDeps {
  connections: Connections;
  /** The officer's list rows, in list order. */
  rows: () => readonly GroupIndexFields[];
  /** Online with a token. */
  ready: () => boolean;
  /** Server time. */
  now: () => number;
  /** KEEP-1: how long after closure a closed group is still worth fetching (ms). */
  recentMs: () => number;
}

export class Prefetcher {
  /** The group being fetched now. */
  current = $state<string | null>(null);
  /** The storage budget stopped the fetch. */
  overBudget = $state(false);
  private running = false;
  private again = false;
  private started = false;
  private readonly failed = new Map<string, number>();
  private abort: (() => void) | null = null;

  constructor(private readonly deps: PrefetchDeps) {}

  start(): void {
    this.started = true;
    this.kick();
  }

  stop(): void {
    this.started = false;
    // a logout closes every socket: the fetch under way ends now, not at its timeout
    this.abort?.();
  }

  /** Something changed (rows, network): look again. */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && this.started);
    } finally {
      this.running = false;
      this.current = null;
    }
  }

  private async pass(): Promise<void> {
    const tried = new Set<string>();
    while (this.started && this.deps.ready()) {
      const skip = new Set(tried);
      for (const id of this.deps.connections.handles.keys()) skip.add(id);
      const wall = Date.now();
      for (const [id, at] of this.failed) if (wall - at < RETRY_AFTER_MS) skip.add(id);
      const next = prefetchOrder(this.deps.rows(), this.deps.now(), skip, this.deps.recentMs())[0];
      if (!next) return;
      await idle();
      if (!this.started || !this.deps.ready()) return;
      const estimate = await navigator.storage?.estimate?.().catch(() => null);
      this.overBudget = !withinBudget(estimate ?? null);
      if (this.overBudget) return;
      tried.add(next);
      this.current = next;
      if (await this.fetchOne(next)) this.failed.delete(next);
      else this.failed.set(next, Date.now());
      this.current = null;
    }
  }

  private async fetchOne(id: string): Promise<boolean> {
    const connections = this.deps.connections;
    const handle = await connections.acquire(id, 'prefetch').catch(() => null);
    if (!handle) return false;
    try {
      const synced = await new Promise<boolean>((resolve) => {
        let done = false;
        let off: (() => void) | null = null;
        const finish = (ok: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          off?.();
          resolve(ok);
        };
        const timer = setTimeout(() => finish(false), SYNC_TIMEOUT_MS);
        this.abort = () => finish(false);
        off = handle.connection.subscribe((s) => {
          if (s.synced) finish(true);
          else if (s.status === 'closed' || !this.started || !this.deps.ready()) finish(false);
        });
        if (done) off();
      });
      this.abort = null;
      if (synced && this.started) await markSynced(id, this.deps.now());
      return synced;
    } finally {
      connections.release(id, 'prefetch', 0);
    }
  }
}
