/**
 * The embedded store: one SQLite file (WAL; every commit fsynced before its writes resolve) through better-sqlite3. The operations live in
 * sqlite/engine.ts (schema, rows and statements beside it); this wraps them in the Store interface.
 *
 * Shared commits: a write runs at once, in call order, inside a transaction left open until the end of the
 * event-loop turn (setImmediate), when ONE commit (one fsync) makes every write of that turn durable; each write's
 * promise resolves only after that commit (rejects when it fails). So the audit rows and registry rows of a storm
 * of connections share a commit, audit rows still chain in the order they were appended, and a reply that awaits
 * its write is still sent after the write is durable. Each write runs in its own savepoint: one that throws leaves
 * the others of the turn intact. `appendUpdates` (already group-committed by the relay) commits at once, taking
 * the turn's other writes with it. Reads run on the same connection and see the turn's writes, as before.
 *
 * PERF-3: the fsync that makes a commit durable runs off the event loop. The connection commits with
 * synchronous=NORMAL (the WAL frames are written, not yet synced; checkpoints still sync as SQLite does), then the
 * WAL file is fsynced on libuv's thread pool, and only then do the commit's writes resolve. So an acknowledgement
 * still means on disk (as with synchronous=FULL), while the relay goes on applying and broadcasting during the
 * fsync; commits made meanwhile share the next fsync.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SqliteEngine } from './sqlite/engine.ts';
import { SQLITE_FILE } from './sqlite/schema.ts';
import type { Store } from './store.ts';

export { SQLITE_FILE } from './sqlite/schema.ts';

/** Opens (creating when needed) `dir/muster.sqlite`. */
export function openSqliteStore(dir: string): Store {
  fs.mkdirSync(dir, { recursive: true });
  return new SqliteStore(path.join(dir, SQLITE_FILE));
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Counters of the shared commits (tests, benchmarks). */
export interface CommitStats {
  /** Commits made (each one fsync). */
  commits: number;
  /** Writes made durable by them. */
  writes: number;
}

/** The SQLite store on the calling thread (its fsyncs on the thread pool). */
export class SqliteStore implements Store {
  readonly #e: SqliteEngine;
  readonly #walFile: string;
  #walFd: number | null = null;
  /** Writes committed and waiting for the next fsync of the WAL. */
  #unsynced: Waiter[] = [];
  #syncing: Promise<void> | null = null;
  /** Runs a function in a savepoint of the open transaction. */
  readonly #savepoint: (fn: () => unknown) => unknown;
  /** Writes of the open transaction, waiting for its commit. */
  #waiters: Waiter[] = [];
  #commitScheduled = false;
  readonly stats: CommitStats = { commits: 0, writes: 0 };

  constructor(file: string) {
    this.#e = new SqliteEngine(file);
    this.#e.db.pragma('synchronous = NORMAL');
    this.#walFile = `${file}-wal`;
    this.#savepoint = this.#e.db.transaction((fn: () => unknown) => fn());
  }

  /** Makes every commit so far durable (fsync of the WAL on the thread pool), then settles their writes. */
  #sync(): void {
    if (this.#syncing || this.#unsynced.length === 0) return;
    const waiters = this.#unsynced;
    this.#unsynced = [];
    this.#syncing = new Promise<void>((resolve) => {
      const done = (error: unknown): void => {
        if (error) for (const w of waiters) w.reject(error);
        else {
          this.stats.commits++;
          this.stats.writes += waiters.length;
          for (const w of waiters) w.resolve();
        }
        this.#syncing = null;
        resolve();
        this.#sync();
      };
      try {
        this.#walFd ??= fs.openSync(this.#walFile, 'r');
      } catch (error) {
        done(error);
        return;
      }
      fs.fsync(this.#walFd, (error) => done(error));
    });
  }

  /** Runs `op` now inside the turn's transaction; resolves to its result after the commit that covers it. */
  #write<T>(op: () => T, commitNow = false): Promise<T> {
    const db = this.#e.db;
    let value: T;
    try {
      if (!db.inTransaction) db.exec('BEGIN');
      if (!commitNow && !this.#commitScheduled) {
        this.#commitScheduled = true;
        setImmediate(() => {
          this.#commitScheduled = false;
          this.#commit();
        });
      }
      value = this.#savepoint(op) as T;
    } catch (error) {
      // SQLite may have rolled back the whole transaction (I/O error, disk full): the turn's earlier writes too.
      if (!db.open || !db.inTransaction) this.#fail(error);
      return Promise.reject(error);
    }
    const done = new Promise<T>((resolve, reject) => {
      this.#waiters.push({ resolve: () => resolve(value), reject });
    });
    if (commitNow) this.#commit();
    return done;
  }

  #fail(error: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }

  /** Commits the open transaction (one fsync) and settles the writes it holds. */
  #commit(): void {
    const db = this.#e.db;
    const waiters = this.#waiters;
    this.#waiters = [];
    if (!db.open || !db.inTransaction) {
      if (waiters.length === 0) return;
      const error = new Error(db.open ? 'the transaction was rolled back' : 'store is closed');
      for (const w of waiters) w.reject(error);
      return;
    }
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // The rollback failing too leaves nothing more to do: every write of the turn is reported failed.
        }
      }
      for (const w of waiters) w.reject(error);
      return;
    }
    this.#unsynced.push(...waiters);
    this.#sync();
  }

  appendUpdates: Store['appendUpdates'] = (batch) => this.#write(() => this.#e.appendUpdates(batch), true);
  loadDoc: Store['loadDoc'] = async (docName) => this.#e.loadDoc(docName);
  compact: Store['compact'] = (docName, snapshot, uptoSeq) =>
    this.#write(() => this.#e.compact(docName, snapshot, uptoSeq));
  listGroups: Store['listGroups'] = async () => this.#e.listGroups();
  getGroup: Store['getGroup'] = async (id) => this.#e.getGroup(id);
  listGroupPage: Store['listGroupPage'] = async (q) => this.#e.listGroupPage(q);
  getGroups: Store['getGroups'] = async (ids) => this.#e.getGroups(ids);
  archiveInbox: Store['archiveInbox'] = (w) => this.#write(() => this.#e.archiveInbox(w), true);
  listInboxArchive: Store['listInboxArchive'] = async (q) => this.#e.listInboxArchive(q);
  archivedInboxIds: Store['archivedInboxIds'] = async (personId, itemIds) =>
    this.#e.archivedInboxIds(personId, itemIds);
  seedDirectory: Store['seedDirectory'] = (directory, persons) =>
    this.#write(() => this.#e.seedDirectory(directory, persons));
  getDirectory: Store['getDirectory'] = async () => this.#e.getDirectory();
  replaceDirectory: Store['replaceDirectory'] = (directory, persons) =>
    this.#write(() => this.#e.replaceDirectory(directory, persons));
  listPersons: Store['listPersons'] = async () => this.#e.listPersons();
  setOnDuty: Store['setOnDuty'] = (personId, postId, on, since) =>
    this.#write(() => this.#e.setOnDuty(personId, postId, on, since));
  countPersons: Store['countPersons'] = async () => this.#e.countPersons();
  findPersonByPoliceNo: Store['findPersonByPoliceNo'] = async (policeNo) => this.#e.findPersonByPoliceNo(policeNo);
  getPerson: Store['getPerson'] = async (id) => this.#e.getPerson(id);
  setDeadline: Store['setDeadline'] = (docName, at) => this.#write(() => this.#e.setDeadline(docName, at));
  listDeadlines: Store['listDeadlines'] = async () => this.#e.listDeadlines();
  setGroupAccess: Store['setGroupAccess'] = (access) => this.#write(() => this.#e.setGroupAccess(access));
  listGroupAccess: Store['listGroupAccess'] = async () => this.#e.listGroupAccess();
  appendAudit: Store['appendAudit'] = (entry) => this.#write(() => this.#e.appendAudit(entry));
  listAudit: Store['listAudit'] = async (opts) => this.#e.listAudit(opts);
  createSession: Store['createSession'] = (session) => this.#write(() => this.#e.createSession(session));
  getSession: Store['getSession'] = async (id) => this.#e.getSession(id);
  rotateSession: Store['rotateSession'] = (id, oldHash, newHash, expiresAt) =>
    this.#write(() => this.#e.rotateSession(id, oldHash, newHash, expiresAt));
  revokeSessions: Store['revokeSessions'] = (by, at) => this.#write(() => this.#e.revokeSessions(by, at));
  addGroupMembers: Store['addGroupMembers'] = (members) => this.#write(() => this.#e.addGroupMembers(members));
  removeGroupMembers: Store['removeGroupMembers'] = (members) => this.#write(() => this.#e.removeGroupMembers(members));
  listGroupMembers: Store['listGroupMembers'] = async (groupId) => this.#e.listGroupMembers(groupId);
  listThrottle: Store['listThrottle'] = async () => this.#e.listThrottle();
  setThrottle: Store['setThrottle'] = (key, state) => this.#write(() => this.#e.setThrottle(key, state));

  async close(): Promise<void> {
    this.#commit();
    while (this.#syncing) await this.#syncing;
    if (this.#walFd !== null) fs.closeSync(this.#walFd);
    this.#walFd = null;
    this.#e.close();
  }
}
