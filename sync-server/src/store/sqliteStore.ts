/**
 * The embedded store: one SQLite file (WAL, synchronous=FULL) through better-sqlite3. The operations live in
 * sqlite/engine.ts (schema, rows and statements beside it); this wraps them in the Store interface.
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

/** The SQLite store on the calling thread. */
export class SqliteStore implements Store {
  readonly #e: SqliteEngine;

  constructor(file: string) {
    this.#e = new SqliteEngine(file);
  }

  appendUpdates: Store['appendUpdates'] = async (batch) => this.#e.appendUpdates(batch);
  loadDoc: Store['loadDoc'] = async (docName) => this.#e.loadDoc(docName);
  compact: Store['compact'] = async (docName, snapshot, uptoSeq) => this.#e.compact(docName, snapshot, uptoSeq);
  listGroups: Store['listGroups'] = async () => this.#e.listGroups();
  getGroup: Store['getGroup'] = async (id) => this.#e.getGroup(id);
  seedDirectory: Store['seedDirectory'] = async (directory, persons) => this.#e.seedDirectory(directory, persons);
  getDirectory: Store['getDirectory'] = async () => this.#e.getDirectory();
  replaceDirectory: Store['replaceDirectory'] = async (directory, persons) =>
    this.#e.replaceDirectory(directory, persons);
  listPersons: Store['listPersons'] = async () => this.#e.listPersons();
  setOnDuty: Store['setOnDuty'] = async (personId, postId, on, since) => this.#e.setOnDuty(personId, postId, on, since);
  countPersons: Store['countPersons'] = async () => this.#e.countPersons();
  findPersonByPoliceNo: Store['findPersonByPoliceNo'] = async (policeNo) => this.#e.findPersonByPoliceNo(policeNo);
  getPerson: Store['getPerson'] = async (id) => this.#e.getPerson(id);
  setDeadline: Store['setDeadline'] = async (docName, at) => this.#e.setDeadline(docName, at);
  listDeadlines: Store['listDeadlines'] = async () => this.#e.listDeadlines();
  setGroupAccess: Store['setGroupAccess'] = async (access) => this.#e.setGroupAccess(access);
  listGroupAccess: Store['listGroupAccess'] = async () => this.#e.listGroupAccess();
  appendAudit: Store['appendAudit'] = async (entry) => this.#e.appendAudit(entry);
  listAudit: Store['listAudit'] = async (opts) => this.#e.listAudit(opts);
  createSession: Store['createSession'] = async (session) => this.#e.createSession(session);
  getSession: Store['getSession'] = async (id) => this.#e.getSession(id);
  rotateSession: Store['rotateSession'] = async (id, oldHash, newHash, expiresAt) =>
    this.#e.rotateSession(id, oldHash, newHash, expiresAt);
  revokeSessions: Store['revokeSessions'] = async (by, at) => this.#e.revokeSessions(by, at);
  addGroupMembers: Store['addGroupMembers'] = async (members) => this.#e.addGroupMembers(members);
  listGroupMembers: Store['listGroupMembers'] = async (groupId) => this.#e.listGroupMembers(groupId);
  listThrottle: Store['listThrottle'] = async () => this.#e.listThrottle();
  setThrottle: Store['setThrottle'] = async (key, state) => this.#e.setThrottle(key, state);

  async close(): Promise<void> {
    this.#e.close();
  }
}
