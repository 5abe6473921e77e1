/** An in-memory store with the same contract as the SQLite one (tests, throw-away servers). */
import type { GroupSummary } from '@muster/protocol';
import { GENESIS_HASH, auditHash } from '../audit/chain.ts';
import type {
  AppendResult,
  ArchivedInboxRow,
  InboxArchiveQuery,
  InboxArchiveWrite,
  AuditInput,
  AuditQuery,
  AuditRow,
  DeadlineRow,
  Directory,
  DocAppend,
  GroupMember,
  GroupPageQuery,
  GroupPageRow,
  GroupAccess,
  PersonRecord,
  SessionRecord,
  Store,
  StoredDoc,
  ThrottleRow,
  ThrottleState,
} from './store.ts';
import { InboxArchiveConflict, archiveOrder, archiveRowBefore, auditMatches, listKeyOf } from './store.ts';

interface MemDoc {
  lastSeq: number;
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  updates: { seq: number; data: Uint8Array }[];
}

const copy = (u: Uint8Array): Uint8Array => new Uint8Array(u);
const clone = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements Store {
  readonly #docs = new Map<string, MemDoc>();
  readonly #groups = new Map<string, GroupSummary>();
  #directory: Directory = { units: [], posts: [], onDuty: [] };
  readonly #deadlines = new Map<string, number>();
  readonly #access = new Map<string, GroupAccess>();
  readonly #persons = new Map<string, PersonRecord>();
  readonly #audit: AuditRow[] = [];
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #members = new Map<string, GroupMember>();
  /** HIST-1: list version per group and the keys each group lists under. */
  readonly #versions = new Map<string, number>();
  readonly #keys = new Map<string, Set<string>>();
  /** HIST-9: the keys each group left (tombstones). */
  readonly #removedKeys = new Map<string, Set<string>>();
  #version = 0;
  readonly #throttle = new Map<string, ThrottleState>();
  #closed = false;
  /** HIST-8: archived inbox items by person, then item id. */
  readonly #archive = new Map<string, Map<string, ArchivedInboxRow>>();

  #check(): void {
    if (this.#closed) throw new Error('store is closed');
  }

  async appendUpdates(batch: readonly DocAppend[]): Promise<AppendResult[]> {
    this.#check();
    const out: AppendResult[] = [];
    for (const item of batch) {
      let doc = this.#docs.get(item.docName);
      if (!doc) this.#docs.set(item.docName, (doc = { lastSeq: 0, snapshot: null, snapshotSeq: 0, updates: [] }));
      for (const u of item.updates) doc.updates.push({ seq: ++doc.lastSeq, data: copy(u) });
      if (item.group) {
        const status = item.group.status ?? this.#groups.get(item.group.id)?.status;
        this.#groups.set(item.group.id, clone({ ...item.group, ...(status ? { status } : {}) }));
        this.#versions.set(item.group.id, ++this.#version);
      }
      out.push({ docName: item.docName, lastSeq: doc.lastSeq, sinceSnapshot: doc.lastSeq - doc.snapshotSeq });
    }
    // AUDIT-8, AUDIT-7: the batch's members and audit rows with it (nothing here can fail half-way in memory).
    for (const item of batch) {
      for (const { member, audit } of item.members ?? []) if (this.#addMember(member)) await this.appendAudit(audit);
      for (const entry of item.audit ?? []) await this.appendAudit(entry);
    }
    return out;
  }

  async loadDoc(docName: string): Promise<StoredDoc> {
    this.#check();
    const doc = this.#docs.get(docName);
    if (!doc) return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 };
    return {
      snapshot: doc.snapshot ? copy(doc.snapshot) : null,
      snapshotSeq: doc.snapshotSeq,
      updates: doc.updates.filter((u) => u.seq > doc.snapshotSeq).map((u) => copy(u.data)),
      lastSeq: doc.lastSeq,
    };
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.#check();
    const doc = this.#docs.get(docName);
    if (!doc || uptoSeq <= doc.snapshotSeq || uptoSeq > doc.lastSeq) return;
    doc.snapshot = copy(snapshot);
    doc.snapshotSeq = uptoSeq;
    doc.updates = doc.updates.filter((u) => u.seq > uptoSeq);
  }

  async listGroups(): Promise<GroupSummary[]> {
    this.#check();
    return [...this.#groups.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(clone);
  }

  async listGroupPage(q: GroupPageQuery): Promise<GroupPageRow[]> {
    this.#check();
    const keys = q.keys ? new Set(q.keys) : null;
    const under = (set: Set<string> | undefined): boolean => [...(set ?? [])].some((k) => keys?.has(k));
    const out: { row: GroupPageRow; version: number }[] = [];
    for (const [id, version] of this.#versions) {
      if (version <= q.since) continue;
      const g = this.#groups.get(id);
      if (g && (!keys || under(this.#keys.get(id)))) out.push({ row: { ...clone(g), version }, version });
      // HIST-9: a group that left every key of the asker, in a delta
      else if (keys && q.since > 0 && under(this.#removedKeys.get(id)) && !under(this.#keys.get(id)))
        out.push({ row: { id, version, removed: true }, version });
    }
    return out
      .sort((a, b) => a.version - b.version)
      .slice(0, q.limit)
      .map((r) => r.row);
  }

  async getGroup(id: string): Promise<GroupSummary | null> {
    this.#check();
    const g = this.#groups.get(id);
    return g ? clone(g) : null;
  }

  async getGroups(ids: readonly string[]): Promise<GroupSummary[]> {
    this.#check();
    return [...new Set(ids)].flatMap((id) => {
      const g = this.#groups.get(id);
      return g ? [clone(g)] : [];
    });
  }

  async archiveInbox(w: InboxArchiveWrite): Promise<void> {
    this.#check();
    const doc = this.#docs.get(w.docName);
    if ((doc?.lastSeq ?? 0) !== w.lastSeq) throw new InboxArchiveConflict(w.docName);
    for (const r of w.rows) {
      let mine = this.#archive.get(r.personId);
      if (!mine) this.#archive.set(r.personId, (mine = new Map()));
      if (!mine.has(r.item.id)) mine.set(r.item.id, clone(r));
    }
    const stored = doc ?? { lastSeq: 0, snapshot: null, snapshotSeq: 0, updates: [] };
    stored.snapshot = copy(w.snapshot);
    stored.snapshotSeq = stored.lastSeq;
    stored.updates = [];
    this.#docs.set(w.docName, stored);
  }

  async listInboxArchive(q: InboxArchiveQuery): Promise<ArchivedInboxRow[]> {
    this.#check();
    const rows = [...(this.#archive.get(q.personId)?.values() ?? [])].filter((r) => archiveRowBefore(r, q.before));
    return rows.sort(archiveOrder).slice(0, q.limit).map(clone);
  }

  async archivedInboxIds(personId: string, itemIds: readonly string[]): Promise<string[]> {
    this.#check();
    const mine = this.#archive.get(personId);
    return mine ? [...new Set(itemIds)].filter((id) => mine.has(id)) : [];
  }

  async seedDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<boolean> {
    this.#check();
    if (this.#persons.size > 0) return false;
    const byNo = new Set<string>();
    for (const p of persons) {
      if (this.#persons.has(p.id) || byNo.has(p.policeNo)) throw new Error(`duplicate person ${p.id}`);
      byNo.add(p.policeNo);
    }
    this.#directory = clone(directory);
    for (const p of persons) this.#persons.set(p.id, clone(p));
    return true;
  }

  async getDirectory(): Promise<Directory> {
    this.#check();
    return clone(this.#directory);
  }

  async replaceDirectory(directory: Directory, persons: readonly PersonRecord[]): Promise<void> {
    this.#check();
    const ids = new Set<string>();
    const byNo = new Set<string>();
    for (const p of persons) {
      if (ids.has(p.id) || byNo.has(p.policeNo)) throw new Error(`duplicate person ${p.id}`);
      ids.add(p.id);
      byNo.add(p.policeNo);
    }
    this.#directory = clone(directory);
    this.#persons.clear();
    for (const p of persons) this.#persons.set(p.id, clone(p));
  }

  async listPersons(): Promise<PersonRecord[]> {
    this.#check();
    return [...this.#persons.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(clone);
  }

  async setOnDuty(personId: string, postId: string, on: boolean, since: number): Promise<boolean> {
    this.#check();
    const list = this.#directory.onDuty;
    const i = list.findIndex((d) => d.personId === personId && d.postId === postId);
    if (on && i < 0) list.push({ personId, postId, since });
    else if (!on && i >= 0) list.splice(i, 1);
    else return false;
    return true;
  }

  async setDeadline(docName: string, at: number | null): Promise<void> {
    this.#check();
    if (at === null) this.#deadlines.delete(docName);
    else this.#deadlines.set(docName, at);
  }

  async listDeadlines(): Promise<DeadlineRow[]> {
    this.#check();
    return [...this.#deadlines]
      .map(([docName, at]) => ({ docName, at }))
      .sort((a, b) => a.at - b.at || (a.docName < b.docName ? -1 : 1));
  }

  async setGroupAccess(access: GroupAccess): Promise<void> {
    this.#check();
    this.#access.set(access.groupId, clone(access));
  }

  async listGroupAccess(): Promise<GroupAccess[]> {
    this.#check();
    return [...this.#access.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : 1)).map(clone);
  }

  async countPersons(): Promise<number> {
    this.#check();
    return this.#persons.size;
  }

  async findPersonByPoliceNo(policeNo: string): Promise<PersonRecord | null> {
    this.#check();
    for (const p of this.#persons.values()) if (p.policeNo === policeNo) return clone(p);
    return null;
  }

  async getPerson(id: string): Promise<PersonRecord | null> {
    this.#check();
    const p = this.#persons.get(id);
    return p ? clone(p) : null;
  }

  async appendAudit(entry: AuditInput): Promise<number> {
    this.#check();
    const seq = this.#audit.length + 1;
    const prevHash = this.#audit[this.#audit.length - 1]?.hash ?? GENESIS_HASH;
    const docName = entry.docName ?? null;
    const hash = auditHash(prevHash, {
      seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      docName,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    });
    this.#audit.push({
      seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      docName,
      detail: entry.detail ? clone(entry.detail) : null,
      prevHash,
      hash,
    });
    return seq;
  }

  async listAudit(opts: AuditQuery = {}): Promise<AuditRow[]> {
    this.#check();
    const rows = this.#audit.filter((r) => auditMatches(r, opts));
    if (opts.newestFirst) rows.reverse();
    return rows.slice(0, opts.limit ?? 1000).map(clone);
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.#check();
    if (this.#sessions.has(session.id)) throw new Error(`session ${session.id} exists`);
    this.#sessions.set(session.id, clone(session));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    this.#check();
    const s = this.#sessions.get(id);
    return s ? clone(s) : null;
  }

  async rotateSession(id: string, oldHash: string, newHash: string, expiresAt: number): Promise<boolean> {
    this.#check();
    const s = this.#sessions.get(id);
    if (!s || s.revokedAt !== null || s.refreshHash !== oldHash) return false;
    s.refreshHash = newHash;
    s.expiresAt = expiresAt;
    return true;
  }

  async revokeSessions(by: { personId: string } | { sessionId: string }, at: number): Promise<string[]> {
    this.#check();
    const out: string[] = [];
    for (const s of this.#sessions.values()) {
      const match = 'personId' in by ? s.personId === by.personId : s.id === by.sessionId;
      if (match && s.revokedAt === null) {
        s.revokedAt = at;
        out.push(s.id);
      }
    }
    return out;
  }

  async addGroupMembers(members: readonly GroupMember[]): Promise<void> {
    this.#check();
    for (const m of members) this.#addMember(m);
  }

  /** Adds one membership row; true when it was not registered before. */
  #addMember(m: GroupMember): boolean {
    const key = `${m.groupId}\u0000${m.kind}\u0000${m.ref}`;
    const fresh = !this.#members.has(key);
    if (fresh) this.#members.set(key, { ...m });
    const keys = this.#keys.get(m.groupId) ?? new Set<string>();
    this.#keys.set(m.groupId, keys);
    if (!keys.has(listKeyOf(m))) {
      keys.add(listKeyOf(m));
      this.#removedKeys.get(m.groupId)?.delete(listKeyOf(m));
      this.#versions.set(m.groupId, ++this.#version);
    }
    return fresh;
  }

  async removeGroupMembers(members: readonly Omit<GroupMember, 'at'>[]): Promise<void> {
    this.#check();
    const groups = new Set<string>();
    for (const m of members) {
      if (this.#members.delete(`${m.groupId}\u0000${m.kind}\u0000${m.ref}`)) groups.add(m.groupId);
    }
    for (const id of groups) {
      const live = new Set([...this.#members.values()].filter((m) => m.groupId === id).map(listKeyOf));
      const keys = this.#keys.get(id) ?? new Set<string>();
      const removed = this.#removedKeys.get(id) ?? new Set<string>();
      this.#removedKeys.set(id, removed);
      let changed = false;
      for (const k of [...keys]) {
        if (live.has(k)) continue;
        keys.delete(k);
        removed.add(k);
        changed = true;
      }
      if (changed) this.#versions.set(id, ++this.#version);
    }
  }

  async listGroupMembers(groupId: string): Promise<GroupMember[]> {
    this.#check();
    return [...this.#members.values()].filter((m) => m.groupId === groupId).map((m) => ({ ...m }));
  }

  async listThrottle(): Promise<ThrottleRow[]> {
    this.#check();
    return [...this.#throttle]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, state]) => ({ key, ...clone(state) }));
  }

  async setThrottle(key: string, state: ThrottleState | null): Promise<void> {
    this.#check();
    if (state === null) this.#throttle.delete(key);
    else this.#throttle.set(key, clone(state));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
