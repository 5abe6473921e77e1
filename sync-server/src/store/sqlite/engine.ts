/**
 * The store's operations on one SQLite connection, synchronous (sqliteStore.ts wraps them in promises).
 */
import type Database from 'better-sqlite3';
import { GENESIS_HASH, auditHash } from '../../audit/chain.ts';
import type { GroupSummary, OnDutyInfo, PostInfo, PostKind, UnitInfo } from '@muster/protocol';
import { mergeKeyRanges } from '../keyMerge.ts';
import { listKeyOf } from '../store.ts';
import type {
  AuditInput,
  Directory,
  DocAppend,
  GroupMember,
  GroupPageRow,
  PersonRecord,
  Store,
  StoredDoc,
} from '../store.ts';
import { auditOf, bytes, groupOf, pagedGroupOf, personOf, sessionOf } from './rows.ts';
import type { AuditDbRow } from './rows.ts';
import { sqliteInboxArchive } from './inboxArchive.ts';
import { openDatabase } from './schema.ts';
import { prepareStatements } from './statements.ts';
import type { Statements } from './statements.ts';

/** Every operation of a Store but `close`, synchronous. */
export type StoreOps = {
  [K in Exclude<keyof Store, 'close'>]: (...args: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>>;
};

export class SqliteEngine implements StoreOps {
  readonly db: Database.Database;
  readonly #s: Statements;
  readonly #auditQueries = new Map<string, Database.Statement<(string | number)[], AuditDbRow>>();
  readonly appendUpdates: StoreOps['appendUpdates'];
  readonly loadDoc: StoreOps['loadDoc'];
  readonly compact: StoreOps['compact'];
  readonly seedDirectory: StoreOps['seedDirectory'];
  readonly replaceDirectory: StoreOps['replaceDirectory'];
  readonly appendAudit: StoreOps['appendAudit'];
  readonly archiveInbox: StoreOps['archiveInbox'];
  readonly listInboxArchive: StoreOps['listInboxArchive'];
  readonly archivedInboxIds: StoreOps['archivedInboxIds'];

  constructor(file: string) {
    const db = openDatabase(file);
    this.db = db;
    const s = prepareStatements(db);
    this.#s = s;
    const archive = sqliteInboxArchive(db);
    this.archiveInbox = archive.archiveInbox;
    this.listInboxArchive = archive.listInboxArchive;
    this.archivedInboxIds = archive.archivedInboxIds;

    this.appendUpdates = db.transaction((batch: readonly DocAppend[]) => {
      const results = batch.map((item) => {
        s.docInsert.run(item.docName);
        const row = s.docSeqs.get(item.docName)!;
        let seq = row.last_seq;
        for (const u of item.updates) s.updInsert.run(item.docName, ++seq, u);
        if (seq !== row.last_seq) s.docSetSeq.run(seq, item.docName);
        if (item.group) {
          s.groupUpsert.run({ ...item.group, status: item.group.status ? JSON.stringify(item.group.status) : null });
          this.#bump(item.group.id);
        }
        return { docName: item.docName, lastSeq: seq, sinceSnapshot: seq - row.snapshot_seq };
      });
      // AUDIT-8, AUDIT-7: the batch's members and audit rows in the same transaction (appendAudit nests as a
      // savepoint); a member registered before gets no row.
      for (const item of batch) {
        const fresh = new Set(this.#addMembers((item.members ?? []).map((r) => r.member)));
        for (const r of item.members ?? []) if (fresh.has(r.member)) this.appendAudit(r.audit);
        for (const entry of item.audit ?? []) this.appendAudit(entry);
      }
      return results;
    });

    this.loadDoc = db.transaction((docName: string): StoredDoc => {
      const row = s.docGet.get(docName);
      if (!row) return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 };
      const updates = s.updAfter.all(docName, row.snapshot_seq).map((r) => bytes(r.data));
      return {
        snapshot: row.snapshot ? bytes(row.snapshot) : null,
        snapshotSeq: row.snapshot_seq,
        updates,
        lastSeq: row.last_seq,
      };
    });

    this.compact = db.transaction((docName: string, snapshot: Uint8Array, uptoSeq: number) => {
      const row = s.docSeqs.get(docName);
      if (!row || uptoSeq <= row.snapshot_seq || uptoSeq > row.last_seq) return;
      s.docSetSnapshot.run(snapshot, uptoSeq, docName);
      s.updDelete.run(docName, uptoSeq);
    });

    // AUDIT-1: each row chains to the one before it, in one transaction.
    this.appendAudit = db.transaction((entry: AuditInput): number => {
      const last = s.auditLast.get();
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        docName: entry.docName ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      s.auditInsert.run({ ...row, prevHash, hash: auditHash(prevHash, row) });
      return row.seq;
    });

    const writeDirectory = (directory: Directory, persons: readonly PersonRecord[]): void => {
      db.exec('DELETE FROM units; DELETE FROM posts; DELETE FROM persons; DELETE FROM on_duty;');
      directory.units.forEach((u, ord) => s.unitInsert.run({ ord, ...u, initials: u.initials ?? null }));
      directory.posts.forEach((p, ord) =>
        s.postInsert.run({
          ord,
          id: p.id,
          unitId: p.unitId,
          name: p.name,
          nameEn: p.nameEn,
          kind: p.kind,
          capabilities: JSON.stringify(p.capabilities ?? []),
          initials: p.initials ?? null,
          phone: p.phone ?? null,
        }),
      );
      for (const p of persons) {
        s.personInsert.run({
          id: p.id,
          policeNo: p.policeNo,
          name: p.name,
          unitId: p.unitId,
          roles: JSON.stringify(p.roles),
          postIds: JSON.stringify(p.postIds),
          passwordHash: p.passwordHash,
        });
      }
      for (const d of directory.onDuty) s.dutyInsert.run(d.personId, d.postId, d.since);
    };
    this.seedDirectory = db.transaction((directory: Directory, persons: readonly PersonRecord[]): boolean => {
      if (s.personCount.get()!.n > 0) return false;
      writeDirectory(directory, persons);
      return true;
    });
    this.replaceDirectory = db.transaction((directory: Directory, persons: readonly PersonRecord[]): void => {
      writeDirectory(directory, persons);
    });
  }

  listGroups: StoreOps['listGroups'] = () => this.#s.groupList.all().map(groupOf);

  /** HIST-1: gives a group (its row and its keys) the next list version. */
  #bump(groupId: string): void {
    const v = this.#s.versionNext.get()!.v;
    this.#s.groupSetVersion.run(v, groupId);
    this.#s.keysSetVersion.run(v, groupId);
  }

  listGroupPage: StoreOps['listGroupPage'] = (q) => {
    if (q.keys === null) return this.#s.groupPageAll.all(q.since, q.limit).map(pagedGroupOf);
    // One index range per key, read lazily in chunks and merged: a page costs about `limit` rows however many
    // keys the asker has and however long the history.
    // HIST-9: removals only in a delta.
    const page = mergeKeyRanges(
      q.keys,
      q.since,
      q.limit,
      (key, after, n) =>
        this.#s.keyPage
          .all(key, after, n)
          .map((r) => ({ groupId: r.group_id, version: r.version, removed: r.removed === 1 })),
      q.since > 0,
    );
    const listed = page.filter((r) => !r.removed).map((r) => r.groupId);
    const rows = new Map(this.#s.groupGetMany.all(JSON.stringify(listed)).map((g) => [g.id, g] as const));
    const out: GroupPageRow[] = [];
    for (const r of page) {
      if (r.removed) {
        out.push({ id: r.groupId, version: r.version, removed: true });
        continue;
      }
      const g = rows.get(r.groupId);
      // A group registered before its first row was written is listed when the row arrives (that bumps it).
      if (g) out.push(pagedGroupOf(g));
    }
    return out;
  };

  getGroup: StoreOps['getGroup'] = (id) => {
    const r = this.#s.groupGet.get(id);
    return r ? groupOf(r) : null;
  };

  getGroups: StoreOps['getGroups'] = (ids) =>
    [...new Set(ids)].flatMap((id) => {
      const r = this.#s.groupGet.get(id);
      return r ? [groupOf(r)] : [];
    });

  getDirectory: StoreOps['getDirectory'] = () => {
    const units: UnitInfo[] = this.#s.unitList.all().map((u) => ({
      id: u.id,
      name: u.name,
      nameEn: u.name_en,
      parentId: u.parent_id,
      kind: u.kind,
      ...(u.initials ? { initials: u.initials } : {}),
    }));
    const posts: PostInfo[] = this.#s.postList.all().map((p) => ({
      id: p.id,
      unitId: p.unit_id,
      name: p.name,
      nameEn: p.name_en,
      kind: p.kind as PostKind,
      capabilities: JSON.parse(p.capabilities) as string[],
      ...(p.initials ? { initials: p.initials } : {}),
      ...(p.phone ? { phone: p.phone } : {}),
    }));
    const onDuty: OnDutyInfo[] = this.#s.dutyList
      .all()
      .map((d) => ({ personId: d.person_id, postId: d.post_id, since: d.since }));
    return { units, posts, onDuty };
  };

  listPersons: StoreOps['listPersons'] = () => this.#s.personList.all().map(personOf);

  setOnDuty: StoreOps['setOnDuty'] = (personId, postId, on, since) => {
    const info = on ? this.#s.dutyInsert.run(personId, postId, since) : this.#s.dutyDelete.run(personId, postId);
    return info.changes > 0;
  };

  setDeadline: StoreOps['setDeadline'] = (docName, at) => {
    if (at === null) this.#s.deadlineDelete.run(docName);
    else this.#s.deadlineSet.run(docName, at);
  };

  listDeadlines: StoreOps['listDeadlines'] = () =>
    this.#s.deadlineList.all().map((r) => ({ docName: r.doc, at: r.at }));

  setGroupAccess: StoreOps['setGroupAccess'] = (access) => {
    this.#s.accessSet.run(access.groupId, access.initiatorId, access.unitId, JSON.stringify(access.postIds));
  };

  listGroupAccess: StoreOps['listGroupAccess'] = () =>
    this.#s.accessList.all().map((r) => ({
      groupId: r.group_id,
      initiatorId: r.initiator_id,
      unitId: r.unit_id,
      postIds: JSON.parse(r.post_ids) as string[],
    }));

  countPersons: StoreOps['countPersons'] = () => this.#s.personCount.get()!.n;

  findPersonByPoliceNo: StoreOps['findPersonByPoliceNo'] = (policeNo) => {
    const r = this.#s.personByNo.get(policeNo);
    return r ? personOf(r) : null;
  };

  getPerson: StoreOps['getPerson'] = (id) => {
    const r = this.#s.personById.get(id);
    return r ? personOf(r) : null;
  };

  listAudit: StoreOps['listAudit'] = (opts = {}) => {
    // AUDIT-4: one statement per shape of filters (at most 2^7), prepared once.
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, v: string | number | undefined): void => {
      if (v === undefined) return;
      where.push(sql);
      args.push(v);
    };
    add('seq > ?', opts.afterSeq);
    add('seq < ?', opts.beforeSeq);
    add('actor = ?', opts.actor);
    add('doc_name = ?', opts.docName);
    add('action = ?', opts.action);
    add('at >= ?', opts.fromAt);
    add('at <= ?', opts.toAt);
    const sql =
      'SELECT * FROM audit' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY seq ${opts.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`;
    let stmt = this.#auditQueries.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<(string | number)[], AuditDbRow>(sql);
      this.#auditQueries.set(sql, stmt);
    }
    return stmt.all(...args, opts.limit ?? 1000).map(auditOf);
  };

  createSession: StoreOps['createSession'] = (session) => {
    this.#s.sessionInsert.run(session);
  };

  getSession: StoreOps['getSession'] = (id) => {
    const r = this.#s.sessionGet.get(id);
    return r ? sessionOf(r) : null;
  };

  rotateSession: StoreOps['rotateSession'] = (id, oldHash, newHash, expiresAt) =>
    this.#s.sessionRotate.run(newHash, expiresAt, id, oldHash).changes === 1;

  revokeSessions: StoreOps['revokeSessions'] = (by, at) => {
    const ids = 'personId' in by ? this.#s.sessionActiveOf.all(by.personId).map((r) => r.id) : [by.sessionId];
    return ids.filter((id) => this.#s.sessionRevoke.run(at, id).changes === 1);
  };

  addGroupMembers: StoreOps['addGroupMembers'] = (members: readonly GroupMember[]) => {
    this.#addMembers(members);
  };

  /** Adds membership rows (inside the caller's transaction); returns those not registered before. */
  #addMembers(members: readonly GroupMember[]): GroupMember[] {
    const changed = new Set<string>();
    const fresh: GroupMember[] = [];
    for (const m of members) {
      if (this.#s.memberInsert.run(m).changes > 0) fresh.push(m);
      if (this.#s.keyInsert.run(listKeyOf(m), m.groupId).changes > 0) changed.add(m.groupId);
    }
    // HIST-1: a group newly listed under a key comes with the next delta of that key.
    for (const id of changed) this.#bump(id);
    return fresh;
  }

  removeGroupMembers: StoreOps['removeGroupMembers'] = (members) => {
    const groups = new Set<string>();
    for (const m of members) if (this.#s.memberDelete.run(m).changes > 0) groups.add(m.groupId);
    for (const id of groups) {
      // HIST-9: a key no remaining membership row maps to is kept as a removal; the group takes the next version.
      const live = new Set(
        this.#s.memberList.all(id).map((r) => listKeyOf({ kind: r.kind as GroupMember['kind'], ref: r.ref })),
      );
      let removed = 0;
      for (const m of members) {
        const key = listKeyOf(m);
        if (m.groupId === id && !live.has(key)) removed += this.#s.keyRemove.run(key, id).changes;
      }
      if (removed > 0) this.#bump(id);
    }
  };

  listGroupMembers: StoreOps['listGroupMembers'] = (groupId) =>
    this.#s.memberList
      .all(groupId)
      .map((r) => ({ groupId: r.group_id, kind: r.kind as GroupMember['kind'], ref: r.ref, at: r.at }));

  listThrottle: StoreOps['listThrottle'] = () =>
    this.#s.throttleList.all().map((r) => ({
      key: r.key,
      failures: JSON.parse(r.failures) as number[],
      lockedUntil: r.locked_until,
      locks: r.locks,
    }));

  setThrottle: StoreOps['setThrottle'] = (key, state) => {
    if (state === null) this.#s.throttleDelete.run(key);
    else this.#s.throttleSet.run(key, JSON.stringify(state.failures), state.lockedUntil, state.locks);
  };

  /** Folds the WAL back into the main file (so a copied data dir is complete) and closes the connection. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
