/** The app's state, wired once. Components import `app` and stay thin. */
import type { RecordReadAct } from '@muster/protocol';
import type { GroupIndexFields } from '../db/schema.ts';
import { HttpError, api } from '../sync/api.ts';
import { GroupsRefresher } from '../sync/groupsRefresher.ts';
import { browserNetwork } from '../sync/network.ts';
import { serverClock } from '../sync/serverClock.ts';
import { liveSyncState, type GroupSyncState } from '../sync/syncStatus.ts';
import { AppLock } from './appLock.svelte.ts';
import { AssistantNameState } from './assistantName.svelte.ts';
import { Board } from './board.svelte.ts';
import { CacheRefresh } from './cacheRefresh.ts';
import { Clock } from './clock.svelte.ts';
import { ClosedRetention } from './closedRetention.ts';
import { Connections } from './connections.svelte.ts';
import { Connectivity } from './connectivity.svelte.ts';
import { DeviceStorage } from './device.svelte.ts';
import { Directory } from './directory.svelte.ts';
import { Duty } from './duty.svelte.ts';
import { GroupList } from './groupList.svelte.ts';
import { I18n } from './i18n.svelte.ts';
import { Inbox } from './inbox.svelte.ts';
import { InboxActs } from './inboxActs.svelte.ts';
import { InboxArchive } from './inboxArchive.svelte.ts';
import { startGroup, type NewGroupInput } from './newGroup.ts';
import { SystemNotifications } from './notify.svelte.ts';
import { OneTap } from './oneTap.svelte.ts';
import { Prefetcher } from './prefetch.svelte.ts';
import { PwaUpdate } from './pwa.svelte.ts';
import { Router } from './router.svelte.ts';
import { Session } from './session.svelte.ts';
import { TokenRenewal } from './tokenRenewal.ts';

export type { NewGroupInput } from './newGroup.ts';

/** Longest the cold start holds non-list work back for the list's first index query. */
const LIST_WAIT_MS = 2000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

export class App {
  /** The browser's network state: the one place it is read (everything below asks it). */
  readonly network = browserNetwork();
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
    network: this.network,
  });
  readonly connectivity = new Connectivity(this.connections, this.network);
  readonly groups = new GroupList(
    () => this.session.person?.id ?? null,
    (rows) => {
      this.connections.absorbAcks(rows);
      this.prefetch.kick();
    },
  );
  /** KEEP-1: closed groups past the retention leave this device. */
  readonly retention = new ClosedRetention({
    loggedIn: () => this.session.person !== null,
    rows: () => this.groups.rows,
    isOpen: (id) => this.connections.handles.has(id),
    now: () => serverClock.now(),
  });
  /** OFFL-1: the officer's groups fetched in the background while online. */
  readonly prefetch = new Prefetcher({
    connections: this.connections,
    rows: () => this.groups.rows,
    ready: () => this.network.online && this.session.token !== null && !this.session.expired,
    now: () => serverClock.now(),
    recentMs: () => this.retention.recentMs(),
  });
  readonly pwa = new PwaUpdate(this.network);
  readonly oneTap = new OneTap(this.session, this.directory);
  readonly duty = new Duty(this.session, this.directory);
  readonly inbox = new Inbox({
    onUnauthorized: () => void this.renewToken(),
    onFresh: (item) => void this.notify.show(item),
  });
  /** AUTH-3: the access token renewed when refused and ahead of expiry. */
  readonly tokens = new TokenRenewal({
    session: this.session,
    connections: this.connections,
    inbox: this.inbox,
    network: this.network,
  });
  /** DIR-7: the cached directory, templates and device policy, fetched again when online. */
  readonly caches = new CacheRefresh({
    session: this.session,
    network: this.network,
    directory: this.directory,
    assistantName: this.assistantName,
    lock: this.lock,
    retention: this.retention,
    renewIfDue: () => this.tokens.renewIfDue(),
  });
  /** HIST-8: the inbox archive, read page by page from the relay. */
  readonly inboxArchive = new InboxArchive(this.session);
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
    network: this.network,
    personId: () => this.session.person?.id ?? null,
    onResult: (reached) => this.connectivity.reportApi(reached),
    onSynced: () => (this.groups.serverSynced = true),
    onUnauthorized: () => void this.renewToken(),
    keep: () => (this.router.route.name === 'group' ? [this.router.route.id] : []),
  });
  private syncing = false;
  private directoryInit: Promise<void> | null = null;

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
    // the date formatters load ICU data (40–150 ms on the main thread): after the list's first frame, not before it
    this.i18n.warmTimes();
    void this.device.check();
    await this.loadDirectory();
    if (this.session.current) this.startSync();
    this.network.whenOnline(() => {
      this.prefetch.kick();
      this.inbox.reconnectNow();
      this.caches.refresh();
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
    if (!token || !this.network.online) return;
    api.reportRead(token, { groupId, act }).catch((e: unknown) => console.warn('muster: read not audited', e));
  }

  async logout(): Promise<void> {
    this.syncing = false;
    this.tokens.stop();
    this.caches.stop();
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
    await this.tokens.renewIfDue();
    this.connections.reconnectAll();
    this.inbox.reconnectNow();
    this.caches.refresh();
    await this.refresher.refreshNow();
    await this.retention.sweep();
  }

  /** Starts a group on the device (works offline) and returns its id. */
  startGroup(input: NewGroupInput): Promise<{ ok: true; id: string } | { ok: false; code: string }> {
    return startGroup(this.session.person, input);
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

  /** AUTH-3: renews the access token now (a 401, a 4401 or a photo request refused). */
  renewToken(): Promise<void> {
    return this.tokens.renew();
  }

  private startSync(): void {
    // once per login: boot's deferred start and a login made meanwhile may both ask
    if (this.syncing) return;
    this.syncing = true;
    this.tokens.start();
    this.connections.setToken(this.session.token);
    this.refresher.start();
    this.prefetch.start();
    void this.retention.sweep();
    const person = this.session.person;
    if (person) this.directory.setMyDuty(person.id, person.postIds, serverClock.now());
    void this.inbox.open(person?.id ?? null, this.session.token).catch((e: unknown) => console.warn(e));
    this.board.start();
    this.caches.start();
  }
}

export const app = new App();
