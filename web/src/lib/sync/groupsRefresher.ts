/**
 * Keeps the group list index up to date with the server's list (`GET /api/groups`), so groups started by others
 * appear: at start, when the network comes back, and every `intervalMs` while the page is visible. HIST-1: each
 * refresh reads only the pages after the cursor kept with the rows (a delta), so it costs what changed.
 */
import { groupsCursor, mergeServerGroups } from '../db/groups.ts';
import { HttpError, api, isNetworkError } from './api.ts';
import { ListChangesStream } from './listChangesStream.ts';
import type { Network } from './network.ts';
import { serverClock } from './serverClock.ts';

/** While the server pushes list changes, a poll this rarely still (a change stored on another node). */
const PUSHED_POLL_MS = 5 * 60_000;

/** Pages read in one refresh at most; when the server says there is more, the next refresh starts at once. */
const MAX_PAGES = 50;

export interface RefresherDeps {
  token: () => string | null;
  network: Network;
  /** The logged-in person: the groups the server lists are held for them on this device. */
  personId: () => string | null;
  /** Whether the last call reached the server. */
  onResult: (reached: boolean) => void;
  onUnauthorized: () => void;
  /** Every page up to the newest has been merged (HIST-3: the index is current). */
  onSynced?: () => void;
  /** HIST-7: groups that never leave the list when a full list no longer names them (the one open on screen). */
  keep?: () => Iterable<string>;
  intervalMs?: number;
}

export class GroupsRefresher {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private lastRun = 0;
  /** HIST-1: told of list changes by the server; while it is open the interval only polls every `PUSHED_POLL_MS`. */
  private readonly stream = new ListChangesStream({
    token: () => this.deps.token(),
    online: () => this.deps.network.online,
    onChanged: () => void this.refreshNow(),
  });
  private stopOnline: (() => void) | null = null;
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.refreshNow();
  };

  constructor(private readonly deps: RefresherDeps) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      if (this.stream.live && Date.now() - this.lastRun < PUSHED_POLL_MS) return;
      void this.refreshNow();
    }, this.deps.intervalMs ?? 30_000);
    this.stream.start();
    this.stopOnline = this.deps.network.whenOnline(() => void this.refreshNow());
    document.addEventListener('visibilitychange', this.onVisible);
    void this.refreshNow();
  }

  stop(): void {
    this.stream.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopOnline?.();
    this.stopOnline = null;
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  refreshNow(): Promise<void> {
    if (!this.running) {
      this.running = this.run().then((more) => {
        this.running = null;
        // HIST-1: a long list (a city leader's) is read to its end, a batch of pages at a time, not a batch per poll.
        if (more && this.timer) setTimeout(() => void this.refreshNow(), 0);
      });
    }
    return this.running;
  }

  /** One refresh; resolves true when it stopped after `MAX_PAGES` with more pages to read. */
  private async run(): Promise<boolean> {
    this.lastRun = Date.now();
    const token = this.deps.token();
    // read before the request: a reply that arrives after a logout must not hold groups for the next person
    const personId = this.deps.personId();
    if (!token) return false;
    if (!this.deps.network.online) {
      this.deps.onResult(false);
      return false;
    }
    let more = false;
    try {
      // HIST-1: only what changed since the cursor this device holds, page by page.
      let cursor = personId ? await groupsCursor(personId) : null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await api.groups(token, cursor);
        serverClock.observe(res.serverTime);
        if (personId !== this.deps.personId()) return false;
        // HIST-7: a list from the start (no cursor yet, or `reset` after a change of duty) is the whole list: once
        // its last page is merged, rows it did not name leave this person's list.
        await mergeServerGroups(res.groups, personId, res.cursor ?? null, {
          full: page === 0 && (cursor === null || res.reset === true),
          last: !res.more || !res.cursor,
          serverTime: res.serverTime,
          keep: new Set(this.deps.keep?.() ?? []),
          removed: res.removed ?? [],
        });
        if (!res.more || !res.cursor) {
          this.deps.onSynced?.();
          break;
        }
        cursor = res.cursor;
        more = page === MAX_PAGES - 1;
      }
      this.deps.onResult(true);
    } catch (e) {
      if (e instanceof HttpError && e.status === 401) {
        this.deps.onResult(true);
        this.deps.onUnauthorized();
      } else if (isNetworkError(e)) this.deps.onResult(false);
      else console.warn('muster: group list refresh failed', e);
      return false;
    }
    return more;
  }
}
