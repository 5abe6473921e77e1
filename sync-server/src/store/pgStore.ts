/**
 * The PostgreSQL store (`MUSTER_STORE=pg`): the same Store contract as the embedded SQLite one, for several relay
 * nodes sharing one database. A write resolves after its transaction COMMITs (synchronous_commit stays on), so a
 * durable acknowledgement means committed in PostgreSQL. Schema changes are numbered migrations (pg/migrations.ts),
 * run once at open.
 *
 * SCALE-2 fencing: when a `fence` is given (several nodes), appending or compacting a document checks, in the same
 * transaction, that this node still holds the document's lease with the token it was granted; a node that lost its
 * lease (expired, taken over) gets a FencedError and writes nothing.
 */
import type pg from 'pg';
import { GENESIS_HASH, auditHash } from '../audit/chain.ts';
import type { OnDutyInfo, PostInfo, PostKind, UnitInfo } from '@muster/protocol';
import { migrate } from './pg/migrations.ts';
import { createPool, ensureSchema, inTransaction, probeServer } from './pg/pool.ts';
import type { PgOptions } from './pg/pool.ts';
import { auditOf, bytes, groupOf, pagedGroupOf, personOf, sessionOf } from './sqlite/rows.ts';
import type { AuditDbRow, GroupRow, PersonRow, PostDbRow, SessionRow, UnitDbRow } from './sqlite/rows.ts';
import { listKeyOf } from './store.ts';
import type { Directory, GroupMember, PersonRecord, Store } from './store.ts';

/** The lease a node holds on a document: its node id and fencing token. */
export interface FenceToken {
  node: string;
  token: number;
}

/** A write of a document by a node that no longer holds its lease (SCALE-2). */
export class FencedError extends Error {
  constructor(docName: string) {
    super(`lease of ${docName} is not held by this node`);
    this.name = 'FencedError';
  }
}

export interface PgStoreOptions extends PgOptions {
  /** Several nodes: the lease this node holds on a document (null: none), checked in each write's transaction. */
  fence?: (docName: string) => FenceToken | null;
  /** A pooled connection broke (logged by the caller; the pool reconnects on the next query). */
  onError?: (error: Error) => void;
}

/** Opens the store; the pool connects and migrates on first use, so this returns at once. */
export function openPgStore(options: PgStoreOptions): PgStore {
  return new PgStore(options);
}

export class PgStore implements Store {
  readonly pool: pg.Pool;
  readonly #o: PgStoreOptions;
  readonly #ready: Promise<void>;

  constructor(options: PgStoreOptions) {
    this.#o = options;
    const pool = createPool(options, options.onError ?? (() => {}));
    this.pool = pool;
    this.#ready = (async () => {
      await ensureSchema(pool, options.schema);
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    })();
    this.#ready.catch(() => {});
  }

  /** SCALE-5: resolves true when PostgreSQL answers within `timeoutMs` on a fresh connection (readiness). */
  ping(timeoutMs: number): Promise<boolean> {
    return probeServer(this.#o, timeoutMs);
  }

  /** Resolves once connected and migrated (rejects when that failed). */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.#ready;
    return (await this.pool.query<R>(sql, params)).rows;
  }

  async #tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ready;
    return inTransaction(this.pool, fn);
  }

  async #checkFence(c: pg.PoolClient, docName: string): Promise<void> {
    if (!this.#o.fence) return;
    const f = this.#o.fence(docName);
    const held =
      f &&
      (
        await c.query(
          'SELECT 1 FROM leases WHERE doc = $1 AND node = $2 AND token = $3 AND expires_at > clock_timestamp() FOR SHARE',
          [docName, f.node, f.token],
        )
      ).rowCount === 1;
    if (!held) throw new FencedError(docName);
  }

  appendUpdates: Store['appendUpdates'] = (batch) =>
    this.#tx(async (c) => {
      // Rows locked in name order, so two nodes' batches never deadlock.
      for (const name of [...new Set(batch.map((b) => b.docName))].sort()) {
        await this.#checkFence(c, name);
        await c.query('INSERT INTO docs (name, last_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING', [name]);
        await c.query('SELECT 1 FROM docs WHERE name = $1 FOR UPDATE', [name]);
      }
      const results = [];
      for (const item of batch) {
        const row = (
          await c.query<{ last_seq: number; snapshot_seq: number }>(
            'SELECT last_seq, snapshot_seq FROM docs WHERE name = $1',
            [item.docName],
          )
        ).rows[0]!;
        const n = item.updates.length;
        if (n > 0) {
          await c.query(
            'INSERT INTO updates (doc, seq, data) SELECT $1, $2::bigint + o, d FROM unnest($3::bytea[]) WITH ORDINALITY AS u(d, o)',
            [item.docName, row.last_seq, item.updates.map((x) => Buffer.from(x))],
          );
          await c.query('UPDATE docs SET last_seq = $1 WHERE name = $2', [row.last_seq + n, item.docName]);
        }
        const g = item.group;
        if (g) {
          await c.query(
            `INSERT INTO groups (id, title, kind, initiator_name, created_at, updated_at, entry_count, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
               initiator_name = excluded.initiator_name, created_at = excluded.created_at,
               updated_at = excluded.updated_at, entry_count = excluded.entry_count,
               status = COALESCE(excluded.status, groups.status)`,
            [
              g.id,
              g.title,
              g.kind,
              g.initiatorName,
              g.createdAt,
              g.updatedAt,
              g.entryCount,
              g.status ? JSON.stringify(g.status) : null,
            ],
          );
          await this.#bump(c, g.id);
        }
        const lastSeq = row.last_seq + n;
        results.push({ docName: item.docName, lastSeq, sinceSnapshot: lastSeq - row.snapshot_seq });
      }
      return results;
    });

  loadDoc: Store['loadDoc'] = (docName) =>
    this.#tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const row = (
        await c.query<{ last_seq: number; snapshot: Buffer | null; snapshot_seq: number }>(
          'SELECT last_seq, snapshot, snapshot_seq FROM docs WHERE name = $1',
          [docName],
        )
      ).rows[0];
      if (!row) return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 };
      const updates = (
        await c.query<{ data: Buffer }>('SELECT data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq', [
          docName,
          row.snapshot_seq,
        ])
      ).rows.map((r) => bytes(r.data));
      return {
        snapshot: row.snapshot ? bytes(row.snapshot) : null,
        snapshotSeq: row.snapshot_seq,
        updates,
        lastSeq: row.last_seq,
      };
    });

  compact: Store['compact'] = (docName, snapshot, uptoSeq) =>
    this.#tx(async (c) => {
      await this.#checkFence(c, docName);
      const row = (
        await c.query<{ last_seq: number; snapshot_seq: number }>(
          'SELECT last_seq, snapshot_seq FROM docs WHERE name = $1 FOR UPDATE',
          [docName],
        )
      ).rows[0];
      if (!row || uptoSeq <= row.snapshot_seq || uptoSeq > row.last_seq) return;
      await c.query('UPDATE docs SET snapshot = $1, snapshot_seq = $2 WHERE name = $3', [
        Buffer.from(snapshot),
        uptoSeq,
        docName,
      ]);
      await c.query('DELETE FROM updates WHERE doc = $1 AND seq <= $2', [docName, uptoSeq]);
    });

  listGroups: Store['listGroups'] = async () =>
    (await this.#q<GroupRow>('SELECT * FROM groups ORDER BY updated_at DESC, id')).map(groupOf);

  /** HIST-1: gives a group (its row and its keys) the next list version. */
  async #bump(c: pg.PoolClient, groupId: string): Promise<void> {
    // Versions must commit in the order they are taken (a reader past version N must never see a smaller one
    // appear later): the list-version lock serialises the transactions that bump, across nodes.
    await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-list'))");
    const v = (await c.query<{ v: string }>("SELECT nextval('list_version_seq') AS v")).rows[0]!.v;
    await c.query('UPDATE groups SET version = $1 WHERE id = $2', [v, groupId]);
    await c.query('UPDATE group_keys SET version = $1 WHERE group_id = $2', [v, groupId]);
  }

  listGroupPage: Store['listGroupPage'] = async (q) => {
    if (q.keys === null) {
      return (
        await this.#q<GroupRow>('SELECT * FROM groups WHERE version > $1 ORDER BY version LIMIT $2', [q.since, q.limit])
      ).map(pagedGroupOf);
    }
    return (
      await this.#q<GroupRow>(
        `SELECT g.* FROM groups g
         WHERE g.id IN (SELECT group_id FROM group_keys WHERE key = ANY($1) AND version > $2)
           AND g.version > $2
         ORDER BY g.version LIMIT $3`,
        [q.keys, q.since, q.limit],
      )
    ).map(pagedGroupOf);
  };

  getGroup: Store['getGroup'] = async (id) => {
    const r = (await this.#q<GroupRow>('SELECT * FROM groups WHERE id = $1', [id]))[0];
    return r ? groupOf(r) : null;
  };

  async #writeDirectory(c: pg.PoolClient, directory: Directory, persons: readonly PersonRecord[]): Promise<void> {
    await c.query('DELETE FROM units; DELETE FROM posts; DELETE FROM persons; DELETE FROM on_duty;');
    for (const [ord, u] of directory.units.entries()) {
      await c.query(
        'INSERT INTO units (ord, id, name, name_en, parent_id, kind, initials) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [ord, u.id, u.name, u.nameEn, u.parentId, u.kind, u.initials ?? null],
      );
    }
    for (const [ord, p] of directory.posts.entries()) {
      await c.query(
        `INSERT INTO posts (ord, id, unit_id, name, name_en, kind, capabilities, initials, phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          ord,
          p.id,
          p.unitId,
          p.name,
          p.nameEn,
          p.kind,
          JSON.stringify(p.capabilities ?? []),
          p.initials ?? null,
          p.phone ?? null,
        ],
      );
    }
    for (const p of persons) {
      await c.query(
        `INSERT INTO persons (id, police_no, name, unit_id, roles, post_ids, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [p.id, p.policeNo, p.name, p.unitId, JSON.stringify(p.roles), JSON.stringify(p.postIds), p.passwordHash],
      );
    }
    for (const d of directory.onDuty) {
      await c.query('INSERT INTO on_duty (person_id, post_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        d.personId,
        d.postId,
        d.since,
      ]);
    }
  }

  seedDirectory: Store['seedDirectory'] = (directory, persons) =>
    this.#tx(async (c) => {
      await c.query('LOCK TABLE persons IN EXCLUSIVE MODE');
      const n = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM persons')).rows[0]!.n;
      if (n > 0) return false;
      await this.#writeDirectory(c, directory, persons);
      return true;
    });

  replaceDirectory: Store['replaceDirectory'] = (directory, persons) =>
    this.#tx((c) => this.#writeDirectory(c, directory, persons));

  getDirectory: Store['getDirectory'] = async () => {
    const units: UnitInfo[] = (
      await this.#q<UnitDbRow>('SELECT id, name, name_en, parent_id, kind, initials FROM units ORDER BY ord')
    ).map((u) => ({
      id: u.id,
      name: u.name,
      nameEn: u.name_en,
      parentId: u.parent_id,
      kind: u.kind,
      ...(u.initials ? { initials: u.initials } : {}),
    }));
    const posts: PostInfo[] = (
      await this.#q<PostDbRow>(
        'SELECT id, unit_id, name, name_en, kind, capabilities, initials, phone FROM posts ORDER BY ord',
      )
    ).map((p) => ({
      id: p.id,
      unitId: p.unit_id,
      name: p.name,
      nameEn: p.name_en,
      kind: p.kind as PostKind,
      capabilities: JSON.parse(p.capabilities) as string[],
      ...(p.initials ? { initials: p.initials } : {}),
      ...(p.phone ? { phone: p.phone } : {}),
    }));
    const onDuty: OnDutyInfo[] = (
      await this.#q<{ person_id: string; post_id: string; since: number }>(
        'SELECT person_id, post_id, since FROM on_duty ORDER BY since, person_id, post_id',
      )
    ).map((d) => ({ personId: d.person_id, postId: d.post_id, since: d.since }));
    return { units, posts, onDuty };
  };

  listPersons: Store['listPersons'] = async () =>
    (await this.#q<PersonRow>('SELECT * FROM persons ORDER BY id')).map(personOf);

  setOnDuty: Store['setOnDuty'] = async (personId, postId, on, since) => {
    await this.#ready;
    const r = on
      ? await this.pool.query(
          'INSERT INTO on_duty (person_id, post_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [personId, postId, since],
        )
      : await this.pool.query('DELETE FROM on_duty WHERE person_id = $1 AND post_id = $2', [personId, postId]);
    return (r.rowCount ?? 0) > 0;
  };

  countPersons: Store['countPersons'] = async () =>
    (await this.#q<{ n: number }>('SELECT count(*)::int AS n FROM persons'))[0]!.n;

  findPersonByPoliceNo: Store['findPersonByPoliceNo'] = async (policeNo) => {
    const r = (await this.#q<PersonRow>('SELECT * FROM persons WHERE police_no = $1', [policeNo]))[0];
    return r ? personOf(r) : null;
  };

  getPerson: Store['getPerson'] = async (id) => {
    const r = (await this.#q<PersonRow>('SELECT * FROM persons WHERE id = $1', [id]))[0];
    return r ? personOf(r) : null;
  };

  setDeadline: Store['setDeadline'] = async (docName, at) => {
    if (at === null) await this.#q('DELETE FROM deadlines WHERE doc = $1', [docName]);
    else {
      await this.#q(
        'INSERT INTO deadlines (doc, at) VALUES ($1, $2) ON CONFLICT (doc) DO UPDATE SET at = excluded.at',
        [docName, at],
      );
    }
  };

  listDeadlines: Store['listDeadlines'] = async () =>
    (await this.#q<{ doc: string; at: number }>('SELECT doc, at FROM deadlines ORDER BY at, doc')).map((r) => ({
      docName: r.doc,
      at: r.at,
    }));

  setGroupAccess: Store['setGroupAccess'] = async (a) => {
    await this.#q(
      `INSERT INTO group_access (group_id, initiator_id, unit_id, post_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id) DO UPDATE SET initiator_id = excluded.initiator_id, unit_id = excluded.unit_id,
         post_ids = excluded.post_ids`,
      [a.groupId, a.initiatorId, a.unitId, JSON.stringify(a.postIds)],
    );
  };

  listGroupAccess: Store['listGroupAccess'] = async () =>
    (
      await this.#q<{ group_id: string; initiator_id: string; unit_id: string; post_ids: string }>(
        'SELECT * FROM group_access ORDER BY group_id',
      )
    ).map((r) => ({
      groupId: r.group_id,
      initiatorId: r.initiator_id,
      unitId: r.unit_id,
      postIds: JSON.parse(r.post_ids) as string[],
    }));

  // AUDIT-1: rows chain in one order across every node: the advisory lock serialises appends.
  appendAudit: Store['appendAudit'] = (entry) =>
    this.#tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-audit'))");
      const last = (
        await c.query<{ seq: number; hash: string | null }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
      ).rows[0];
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        docName: entry.docName ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      await c.query(
        `INSERT INTO audit (seq, at, actor, action, doc_name, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [row.seq, row.at, row.actor, row.action, row.docName, row.detail, prevHash, auditHash(prevHash, row)],
      );
      return row.seq;
    });

  // AUDIT-4: the same filters and paging as the other stores.
  listAudit: Store['listAudit'] = async (opts = {}) => {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, v: string | number | undefined): void => {
      if (v === undefined) return;
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    add('seq > ?', opts.afterSeq);
    add('seq < ?', opts.beforeSeq);
    add('actor = ?', opts.actor);
    add('doc_name = ?', opts.docName);
    add('action = ?', opts.action);
    add('at >= ?', opts.fromAt);
    add('at <= ?', opts.toAt);
    args.push(opts.limit ?? 1000);
    const sql =
      'SELECT * FROM audit' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY seq ${opts.newestFirst ? 'DESC' : 'ASC'} LIMIT $${args.length}`;
    return (await this.#q<AuditDbRow>(sql, args)).map(auditOf);
  };

  createSession: Store['createSession'] = async (s) => {
    await this.#q(
      `INSERT INTO sessions (id, person_id, refresh_hash, created_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.id, s.personId, s.refreshHash, s.createdAt, s.expiresAt, s.revokedAt],
    );
  };

  getSession: Store['getSession'] = async (id) => {
    const r = (await this.#q<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]))[0];
    return r ? sessionOf(r) : null;
  };

  rotateSession: Store['rotateSession'] = async (id, oldHash, newHash, expiresAt) => {
    await this.#ready;
    const r = await this.pool.query(
      `UPDATE sessions SET refresh_hash = $1, expires_at = $2
       WHERE id = $3 AND refresh_hash = $4 AND revoked_at IS NULL`,
      [newHash, expiresAt, id, oldHash],
    );
    return r.rowCount === 1;
  };

  revokeSessions: Store['revokeSessions'] = async (by, at) => {
    const rows =
      'personId' in by
        ? await this.#q<{ id: string }>(
            'UPDATE sessions SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL RETURNING id',
            [at, by.personId],
          )
        : await this.#q<{ id: string }>(
            'UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id',
            [at, by.sessionId],
          );
    return rows.map((r) => r.id);
  };

  addGroupMembers: Store['addGroupMembers'] = async (members: readonly GroupMember[]) => {
    if (members.length === 0) return;
    await this.#tx(async (c) => {
      await c.query(
        `INSERT INTO group_members (group_id, kind, ref, at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
        [
          members.map((m) => m.groupId),
          members.map((m) => m.kind),
          members.map((m) => m.ref),
          members.map((m) => m.at),
        ],
      );
      // HIST-1: a group newly listed under a key comes with the next delta of that key.
      const added = await c.query<{ group_id: string }>(
        `INSERT INTO group_keys (key, group_id, version)
         SELECT k, g, 0 FROM unnest($1::text[], $2::text[]) AS u(k, g) ON CONFLICT DO NOTHING RETURNING group_id`,
        [members.map(listKeyOf), members.map((m) => m.groupId)],
      );
      for (const id of [...new Set(added.rows.map((r) => r.group_id))].sort()) await this.#bump(c, id);
    });
  };

  listGroupMembers: Store['listGroupMembers'] = async (groupId) =>
    (
      await this.#q<{ group_id: string; kind: string; ref: string; at: number }>(
        'SELECT * FROM group_members WHERE group_id = $1 ORDER BY at, kind, ref',
        [groupId],
      )
    ).map((r) => ({ groupId: r.group_id, kind: r.kind as GroupMember['kind'], ref: r.ref, at: r.at }));

  listThrottle: Store['listThrottle'] = async () =>
    (
      await this.#q<{ key: string; failures: string; locked_until: number; locks: number }>(
        'SELECT key, failures, locked_until, locks FROM login_throttle ORDER BY key',
      )
    ).map((r) => ({
      key: r.key,
      failures: JSON.parse(r.failures) as number[],
      lockedUntil: r.locked_until,
      locks: r.locks,
    }));

  setThrottle: Store['setThrottle'] = async (key, state) => {
    if (state === null) await this.#q('DELETE FROM login_throttle WHERE key = $1', [key]);
    else {
      await this.#q(
        `INSERT INTO login_throttle (key, failures, locked_until, locks) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
           locks = excluded.locks`,
        [key, JSON.stringify(state.failures), state.lockedUntil, state.locks],
      );
    }
  };

  #closed: Promise<void> | null = null;
  close(): Promise<void> {
    this.#closed ??= this.#ready.catch(() => {}).then(() => this.pool.end());
    return this.#closed;
  }
}
