/**
 * The SQLite store as the server uses it: every operation goes, in order, to the writer thread (worker.ts), which
 * owns the connection and commits off the event loop; a promise resolves once its operation is durable.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store.ts';
import type { StoreOps } from './engine.ts';
import { deserializeError } from './wire.ts';
import type { Reply, Request, WorkerData } from './wire.ts';

const WORKER_URL = new URL('./worker.ts', import.meta.url);

/**
 * The thread runs TypeScript through tsx, as the server does: a small bootstrap registers tsx's loader in the thread
 * (Node 20 does not apply `--import` hooks to a worker's entry), then imports worker.ts. A compiled build would
 * start worker.js directly.
 */
function workerEntry(): { url: URL | string; eval: boolean } {
  if (!WORKER_URL.pathname.endsWith('.ts')) return { url: WORKER_URL, eval: false };
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code =
    `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return { url: code, eval: true };
}

/** A view into a larger buffer would be copied whole to the thread: give it its own bytes. */
const own = (u: Uint8Array): Uint8Array => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u : u.slice());

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class SqliteWorkerStore implements Store {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;
  #failed: Error | null = null;
  #closing: Promise<void> | null = null;

  constructor(file: string) {
    const workerData: WorkerData = { file };
    const entry = workerEntry();
    this.#worker = new Worker(entry.url, { workerData, eval: entry.eval });
    // Only outstanding operations keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', (replies: Reply[]) => {
      for (const r of replies) {
        const w = this.#waiting.get(r.id);
        if (!w) continue;
        this.#waiting.delete(r.id);
        if (r.ok) w.resolve(r.value);
        else w.reject(deserializeError(r.error));
      }
      if (this.#waiting.size === 0) this.#worker.unref();
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the SQLite writer thread exited (${code})`)));
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const w of this.#waiting.values()) w.reject(this.#failed);
    this.#waiting.clear();
  }

  #send<T>(op: string, args: unknown[]): Promise<T> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    const request: Request = { id, op, args };
    return new Promise<T>((resolve, reject) => {
      if (this.#waiting.size === 0) this.#worker.ref();
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage(request);
    });
  }

  #call<K extends keyof StoreOps>(op: K, ...args: Parameters<StoreOps[K]>): Promise<ReturnType<StoreOps[K]>> {
    if (this.#closing) return Promise.reject(new Error('store is closed'));
    return this.#send(op, args);
  }

  appendUpdates: Store['appendUpdates'] = (batch) =>
    this.#call(
      'appendUpdates',
      batch.map((b) => ({ ...b, updates: b.updates.map(own) })),
    );
  loadDoc: Store['loadDoc'] = (docName) => this.#call('loadDoc', docName);
  compact: Store['compact'] = (docName, snapshot, uptoSeq) => this.#call('compact', docName, own(snapshot), uptoSeq);
  listGroups: Store['listGroups'] = () => this.#call('listGroups');
  getGroup: Store['getGroup'] = (id) => this.#call('getGroup', id);
  seedDirectory: Store['seedDirectory'] = (directory, persons) => this.#call('seedDirectory', directory, persons);
  getDirectory: Store['getDirectory'] = () => this.#call('getDirectory');
  replaceDirectory: Store['replaceDirectory'] = (directory, persons) =>
    this.#call('replaceDirectory', directory, persons);
  listPersons: Store['listPersons'] = () => this.#call('listPersons');
  setOnDuty: Store['setOnDuty'] = (personId, postId, on, since) => this.#call('setOnDuty', personId, postId, on, since);
  countPersons: Store['countPersons'] = () => this.#call('countPersons');
  findPersonByPoliceNo: Store['findPersonByPoliceNo'] = (policeNo) => this.#call('findPersonByPoliceNo', policeNo);
  getPerson: Store['getPerson'] = (id) => this.#call('getPerson', id);
  setDeadline: Store['setDeadline'] = (docName, at) => this.#call('setDeadline', docName, at);
  listDeadlines: Store['listDeadlines'] = () => this.#call('listDeadlines');
  setGroupAccess: Store['setGroupAccess'] = (access) => this.#call('setGroupAccess', access);
  listGroupAccess: Store['listGroupAccess'] = () => this.#call('listGroupAccess');
  appendAudit: Store['appendAudit'] = (entry) => this.#call('appendAudit', entry);
  listAudit: Store['listAudit'] = (opts) => this.#call('listAudit', opts);
  createSession: Store['createSession'] = (session) => this.#call('createSession', session);
  getSession: Store['getSession'] = (id) => this.#call('getSession', id);
  rotateSession: Store['rotateSession'] = (id, oldHash, newHash, expiresAt) =>
    this.#call('rotateSession', id, oldHash, newHash, expiresAt);
  revokeSessions: Store['revokeSessions'] = (by, at) => this.#call('revokeSessions', by, at);
  addGroupMembers: Store['addGroupMembers'] = (members) => this.#call('addGroupMembers', members);
  listGroupMembers: Store['listGroupMembers'] = (groupId) => this.#call('listGroupMembers', groupId);

  /** Waits for every operation sent before, checkpoints the WAL, closes the file and ends the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#failed) await this.#send<void>('close', []);
      await this.#worker.terminate();
    })();
    return this.#closing;
  }
}
