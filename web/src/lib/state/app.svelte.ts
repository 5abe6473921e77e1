/** The app's state, wired once. Components import `app` and stay thin. */
import type { GroupKind, IncidentInfo } from '@muster/core';
import type { RecordReadAct } from '@muster/protocol';
import { createGroup } from '../db/groups.ts';
import type { GroupIndexFields } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { refusal } from './groupCommands.ts';
import { HttpError, api } from '../sync/api.ts';
import { GroupsRefresher } from '../sync/groupsRefresher.ts';
import { serverClock } from '../sync/serverClock.ts';
import { liveSyncState, type GroupSyncState } from '../sync/syncStatus.ts';
import { Clock } from './clock.svelte.ts';
import { Connections } from './connections.svelte.ts';
import { AuditLog } from './auditLog.svelte.ts';
import { StatsDashboard } from './statsDashboard.svelte.ts';
import { Board } from './board.svelte.ts';
import { Connectivity } from './connectivity.svelte.ts';
import { DeviceStorage } from './device.svelte.ts';
import { Directory } from './directory.svelte.ts';
import { Duty } from './duty.svelte.ts';
import { GroupList } from './groupList.svelte.ts';
import { GroupView } from './groupView.svelte.ts';
import { I18n } from './i18n.svelte.ts';
import { AppLock } from './appLock.svelte.ts';
import { Prefetcher } from './prefetch.svelte.ts';
import { removeContent } from '../db/groups.ts';
import { RECENT_CLOSED_MS } from '../sync/prefetchPlan.ts';
import { DAY_MS, DEFAULT_RETENTION_DAYS, retentionDays, toRemove } from '../sync/retention.ts';

const RETENTION_KEY = 'muster.closedRetentionDays';

/** SYNC-5: records the relay refused stay on the device (to copy): such a group is kept. */
function hasRefused(id: string): boolean {
  const raw = readLocal(`muster.refused.${id}`);
  return raw !== null && raw !== '[]';
}

function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
import { AssistantNameState } from './assistantName.svelte.ts';
import { Inbox } from './inbox.svelte.ts';
import { InboxActs } from './inboxActs.svelte.ts';
import { SystemNotifications } from './notify.svelte.ts';
import { OneTap } from './oneTap.svelte.ts';
import { PwaUpdate } from './pwa.svelte.ts';
import { Router } from './router.svelte.ts';
import { Session } from './session.svelte.ts';

/** Longest the cold start holds non-list work back for the list's first index query. */
const LIST_WAIT_MS = 2000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait before asking again for a token the server could not be reached for. */
const RENEW_RETRY_MS = 3_000;
/** DIR-7: pauses before fetching the directory and templates again after a failure: 5 s, 15 s, 45 s, … 2 min. */
const CACHE_RETRY_FIRST_MS = 5_000;
const CACHE_RETRY_MAX_MS = 120_000;

/** Resolves after the next frame has been produced (or after 100 ms where frames do not run, as in a hidden tab). */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

export interface NewGroupInput {
  kind: GroupKind;
  title: string;
  incident: { number: string; type: string; address: string } | null;
}

export class App {
  readonly i18n = new I18n();
  readonly router = new Router();
  readonly clock = new Clock();
  readonly session = new Session();
  readonly lock = new AppLock();
  readonly directory = new Directory();
  /** ASSIST-11: the look-up assistant's name, as an admin configured it. */
  readonly assistantName = new AssistantNameState();
  readonly device = new DeviceStorage();
  readonly notify = new SystemNotifications(this.i18n.t);
  readonly connections = new Connections({
    onUnauthorized: () => void this.renewToken(),
    onStoreError: (e) => this.device.report(e),
    personId: () => this.session.person?.id ?? null,
  });
  readonly connectivity = new Connectivity(this.connections);
  readonly groups = new GroupList(
    () => this.session.person?.id ?? null,
    (rows) => {
      this.connections.absorbAcks(rows);
      this.prefetch.kick();
    },
  );
  /** OFFL-1: the officer's groups fetched in the background while online. */
  readonly prefetch = new Prefetcher({
    connections: this.connections,
    rows: () => this.groups.rows,
    ready: () => navigator.onLine && this.session.token !== null && !this.session.expired,
    now: () => serverClock.now(),
    recentMs: () => Math.min(RECENT_CLOSED_MS, this.retentionDays * DAY_MS),
  });
  /** KEEP-1: days a closed group stays on this device (the admin's setting, kept on the device). */
  private retentionDays = retentionDays(Number(readLocal(RETENTION_KEY) ?? DEFAULT_RETENTION_DAYS));
  private sweeping = false;
  readonly pwa = new PwaUpdate();
  readonly oneTap = new OneTap(this.session, this.directory);
  readonly duty = new Duty(this.session, this.directory);
  readonly inbox = new Inbox({
    onUnauthorized: () => void this.renewToken(),
    onFresh: (item) => void this.notify.show(item),
  });
  readonly inboxActs = new InboxActs({
    connections: this.connections,
    session: this.session,
    clock: this.clock,
    directory: this.directory,
  });
  readonly board = new Board({
    connections: this.connections,
    inbox: this.inbox,
    duty: this.duty,
    directory: this.directory,
    session: this.session,
    clock: this.clock,
    index: () => this.groups.rows,
    indexSynced: () => this.groups.serverSynced,
  });
  readonly refresher = new GroupsRefresher({
    token: () => (this.session.expired ? null : this.session.token),
    personId: () => this.session.person?.id ?? null,
    onResult: (reached) => this.connectivity.reportApi(reached),
    onSynced: () => (this.groups.serverSynced = true),
    onUnauthorized: () => void this.renewToken(),
    keep: () => (this.router.route.name === 'group' ? [this.router.route.id] : []),
  });
  /** AUDIT-4: the audit page (auditors). */
  readonly audit = new AuditLog(
    () => (this.session.expired ? null : this.session.token),
    () => this.session.renew(),
  );
  /** STATS-9: the statistics page (leaders and auditors). */
  readonly stats = new StatsDashboard(
    (path) => this.authed((token) => api.stats(token, path)),
    () => serverClock.now(),
  );
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  private renewRetry: ReturnType<typeof setTimeout> | null = null;
  private syncing = false;
  private directoryInit: Promise<void> | null = null;
  private cacheRetries = 0;
  private cacheRetryTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Cold start (budget: offline to the group list in under a second, tests/bench/budgets.ts). The list's index query and the
   * session read go first and alone; everything the list does not need waits until the list has had its first
   * frame: the cached directory, templates and approval types, the storage check, and sync (sockets for pending
   * groups, the inbox, the desk board, the list refresh), so none of it competes with the list for IndexedDB or the
   * main thread. Nothing here waits on the network (offline, the refresher and sockets fail fast in the background).
   */
  async boot(): Promise<void> {
    this.groups.start();
    const session = this.session.init();
    this.pwa.register();
    this.device.watchUnhandled();
    await session;
    if (!this.session.current) this.router.go({ name: 'login' }, true);
    else this.lock.resume(this.session.current.person.id);
    await Promise.race([this.groups.firstLoad, delay(LIST_WAIT_MS)]);
    await afterNextFrame();
    void this.device.check();
    await this.loadDirectory();
    if (this.session.current) this.startSync();
    window.addEventListener('online', () => {
      this.prefetch.kick();
      this.inbox.reconnectNow();
      this.refreshCaches();
    });
  }

  /** The cached directory, read once (boot reads it after the list's first frame; a login before that waits). */
  private loadDirectory(): Promise<void> {
    this.directoryInit ??= this.directory.init();
    return this.directoryInit;
  }

  async login(policeNo: string, password: string) {
    const res = await this.session.login(policeNo, password);
    if (res.ok) {
      // LOCK-1: a PIN is set after the first online login on this device
      if (this.session.person) this.lock.afterLogin(this.session.person.id);
      // STORE-1: ask for persistent storage once the officer is in (the answer shows in settings).
      void this.device.requestPersist();
      // duty from the login is recorded over the cached directory, so that must be read first
      await this.loadDirectory().catch((e: unknown) => console.warn('muster: cached directory not read', e));
      this.startSync();
      this.router.go({ name: 'groups' }, true);
    }
    return res;
  }

  /**
   * LOCK-4: after too many wrong PINs the locked officer logs in again with their password (online): the same
   * officer, so the session is renewed in place and every unsent change keeps syncing; a new PIN is set next.
   */
  async unlockWithPassword(password: string) {
    const person = this.session.person;
    if (!person) return { ok: false as const, error: 'other' as const, message: 'no session' };
    const res = await this.session.login(person.policeNo, password);
    if (!res.ok) return res;
    if (this.session.person?.id !== person.id) {
      // the server named someone else for this police number: nothing of theirs opens here
      await this.logout();
      return { ok: false as const, error: 'failed' as const, message: 'another person' };
    }
    this.lock.afterPassword();
    this.connections.setToken(this.session.token);
    this.connections.reconnectAll();
    if (this.session.token) this.inbox.setToken(this.session.token);
    this.inbox.reconnectNow();
    return res;
  }

  /**
   * AUDIT-5: tells the server of a read only this device makes (the case file viewed or printed). Best effort: a
   * device offline at the time makes the read unaudited, which the server cannot see either way.
   */
  reportRead(groupId: string, act: RecordReadAct): void {
    const token = this.session.expired ? null : this.session.token;
    if (!token || !navigator.onLine) return;
    api.reportRead(token, { groupId, act }).catch((e: unknown) => console.warn('muster: read not audited', e));
  }

  async logout(): Promise<void> {
    this.syncing = false;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    if (this.cacheRetryTimer) clearTimeout(this.cacheRetryTimer);
    this.cacheRetryTimer = null;
    this.cacheRetries = 0;
    this.refresher.stop();
    this.groups.serverSynced = false;
    this.prefetch.stop();
    this.board.stop();
    this.inbox.close();
    this.connections.closeAll();
    await this.session.logout();
    this.lock.stop();
    this.router.go({ name: 'login' }, true);
  }

  /** LOCK-3: what this officer's device holds that the server has not acknowledged (changes, and in how many groups). */
  unsent(): { changes: number; groups: number } {
    let changes = 0;
    let groups = 0;
    for (const row of this.groups.rows) {
      const s = this.connections.get(row.id)?.snapshot;
      const pending = s ? s.pending : row.pending;
      if (pending > 0) {
        changes += pending;
        groups++;
      }
    }
    return { changes, groups };
  }

  /** PWA-4: "sync now": every group socket and the inbox reconnect at once, and the group list is refreshed. */
  async syncNow(): Promise<void> {
    if (this.session.expiresWithin(2 * 60_000)) await this.renewToken();
    this.connections.reconnectAll();
    this.inbox.reconnectNow();
    this.refreshCaches();
    await this.refresher.refreshNow();
    await this.sweepClosed();
  }

  /**
   * KEEP-1: closed groups past the retention leave this device (never with unsent work, records the relay refused,
   * or while open on screen).
   */
  async sweepClosed(): Promise<void> {
    if (this.sweeping || !this.session.person) return;
    this.sweeping = true;
    try {
      const now = serverClock.now();
      const keep = (id: string) => this.connections.handles.has(id) || hasRefused(id);
      for (const id of toRemove(this.groups.rows, now, this.retentionDays, keep))
        await removeContent(id, now).catch((e: unknown) => console.warn('muster: removing a closed group failed', e));
    } finally {
      this.sweeping = false;
    }
  }

  /** Starts a group on the device (works offline) and returns its id. */
  async startGroup(input: NewGroupInput): Promise<{ ok: true; id: string } | { ok: false; code: string }> {
    const person = this.session.person;
    if (!person) return { ok: false, code: 'not-logged-in' };
    const incident: IncidentInfo | null =
      input.kind === 'incident' && input.incident
        ? {
            number: input.incident.number.trim(),
            type: input.incident.type.trim(),
            address: input.incident.address.trim(),
            reportedAt: null,
          }
        : null;
    try {
      const meta = await createGroup(
        {
          id: newId(),
          kind: input.kind,
          title: input.title,
          incident,
          unitId: person.unitId,
          initiator: { personId: person.id, name: person.name },
          deviceTime: Date.now(),
        },
        serverClock.now(),
      );
      return { ok: true, id: meta.id };
    } catch (e) {
      return refusal(e);
    }
  }

  openGroup(id: string): GroupView {
    return new GroupView(id, {
      connections: this.connections,
      connectivity: this.connectivity,
      session: this.session,
      directory: this.directory,
      clock: this.clock,
      locale: () => this.i18n.locale,
    });
  }

  /** The sync badge of a list row: the live connection when the group is open, else the index row. */
  syncStateOf(row: GroupIndexFields): GroupSyncState {
    const s = this.connections.get(row.id)?.snapshot;
    if (s) return liveSyncState(s.pending, s.ackedAt, s, this.connectivity.link);
    return liveSyncState(row.pending, row.ackedAt, null, this.connectivity.link);
  }

  /** An API call with the session's token, renewed once when the server answers 401. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = this.session.expired ? null : this.session.token;
    if (!token) throw new HttpError(401, 'unauthorized', 'no token');
    try {
      return await call(token);
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 401)) throw e;
      const renewed = await this.session.renew();
      if (!renewed) throw e;
      return call(renewed);
    }
  }

  /**
   * AUTH-3: a refused or nearly expired access token is renewed with the refresh token; sockets reconnect with the
   * new one and resync, so nothing queued on the device is dropped. Only a refused refresh asks for a new login.
   */
  async renewToken(): Promise<void> {
    const token = await this.session.renew();
    if (!token) {
      // Not refused (that expires the session) but unreachable, e.g. asked while the link dropped: sockets closed
      // with 4401 do not retry on their own, and later 4401s may have joined this failed attempt. Try again soon.
      if (!this.session.expired && this.session.current && !this.renewRetry)
        this.renewRetry = setTimeout(() => {
          this.renewRetry = null;
          void this.renewToken();
        }, RENEW_RETRY_MS);
      return;
    }
    this.connections.setToken(token);
    // Sockets the relay closed for the old token (4401) do not retry on their own: reconnect them now.
    this.connections.reconnectAll();
    this.inbox.setToken(token);
    this.inbox.reconnectNow();
  }

  private startSync(): void {
    // once per login: boot's deferred start and a login made meanwhile may both ask
    if (this.syncing) return;
    this.syncing = true;
    this.renewTimer ??= setInterval(() => {
      if (navigator.onLine && this.session.current && this.session.expiresWithin(2 * 60_000)) void this.renewToken();
    }, 30_000);
    this.connections.setToken(this.session.token);
    this.refresher.start();
    this.prefetch.start();
    void this.sweepClosed();
    const person = this.session.person;
    if (person) this.directory.setMyDuty(person.id, person.postIds, serverClock.now());
    void this.inbox.open(person?.id ?? null, this.session.token).catch((e: unknown) => console.warn(e));
    this.board.start();
    this.refreshCaches();
  }

  /**
   * DIR-7: a directory, template or approval-type fetch that failed (a timeout, a 5xx, a dropped connection) is tried
   * again with a growing pause while online, so one lost reply does not leave one-tap empty until the next `online`.
   */
  private retryCaches(e: unknown): void {
    console.warn('muster: directory or templates not refreshed; retrying', e);
    if (this.cacheRetryTimer) return;
    const wait = Math.min(CACHE_RETRY_MAX_MS, CACHE_RETRY_FIRST_MS * 3 ** this.cacheRetries++);
    this.cacheRetryTimer = setTimeout(() => {
      this.cacheRetryTimer = null;
      if (this.syncing) this.refreshCaches();
    }, wait);
  }

  private refreshCaches(): void {
    if (!this.session.token || !navigator.onLine) return;
    void this.refreshCachesNow();
  }

  private async refreshCachesNow(): Promise<void> {
    if (this.session.expiresWithin(2 * 60_000)) await this.renewToken();
    const token = this.session.token;
    if (!token) return;
    void this.assistantName.refresh(token);
    // LOCK-2: the lock time an admin set
    void api
      .devicePolicy(token)
      .then((p) => {
        this.lock.setMinutes(p.lockMinutes);
        if (p.closedRetentionDays !== undefined) {
          this.retentionDays = retentionDays(p.closedRetentionDays);
          try {
            localStorage.setItem(RETENTION_KEY, String(this.retentionDays));
          } catch {
            // kept for this run
          }
        }
        serverClock.observe(p.serverTime);
        void this.sweepClosed();
      })
      .catch(() => {});
    await this.directory
      .refresh(token)
      .then(
        () => (this.cacheRetries = 0),
        (e: unknown) => this.retryCaches(e),
      )
      .then(() => this.session.refreshMe())
      .then(() => {
        const p = this.session.person;
        if (p) this.directory.setMyDuty(p.id, p.postIds, serverClock.now());
      });
  }
}

export const app = new App();
