/**
 * The PostgreSQL store (`MUSTER_STORE=pg`): the same Store contract as the embedded SQLite one, for several relay
 * nodes sharing one database. A write resolves after its transaction COMMITs (synchronous_commit stays on), so a
 * durable acknowledgement means committed in PostgreSQL. Schema changes are numbered migrations (pg/migrations.ts),
 * run once at open. The operations live beside it in pg/, one concept each (documents, group list, membership,
 * directory, audit, sessions); this class connects, migrates and puts them together.
 *
 * SCALE-2 fencing: when a `fence` is given (several nodes), appending or compacting a document checks, in the same
 * transaction, that this node still holds the document's lease with the token it was granted (pg/fence.ts).
 */
import type pg from 'pg';
import { auditOps } from './pg/audit.ts';
import type { AuditOps } from './pg/audit.ts';
import type { PgDb } from './pg/db.ts';
import { directoryOps } from './pg/directory.ts';
import type { DirectoryOps } from './pg/directory.ts';
import { documentOps } from './pg/documents.ts';
import type { DocumentOps } from './pg/documents.ts';
import { checkFence } from './pg/fence.ts';
import type { FenceToken } from './pg/fence.ts';
import { groupListOps } from './pg/groupList.ts';
import type { GroupListOps } from './pg/groupList.ts';
import { inboxArchiveOps } from './pg/inboxArchive.ts';
import type { InboxArchiveOps } from './pg/inboxArchive.ts';
import { membershipOps } from './pg/membership.ts';
import type { MembershipOps } from './pg/membership.ts';
import { migrate } from './pg/migrations.ts';
import { createPool, ensureSchema, inTransaction, probeServer } from './pg/pool.ts';
import type { PgOptions } from './pg/pool.ts';
import { sessionOps } from './pg/sessions.ts';
import type { SessionOps } from './pg/sessions.ts';
import type { Store } from './store.ts';

export { FencedError } from './pg/fence.ts';
export type { FenceToken } from './pg/fence.ts';

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

/** The operations of pg/, put on the store by its constructor (the interface declares them on the class). */
type Operations = DocumentOps & GroupListOps & MembershipOps & DirectoryOps & AuditOps & SessionOps & InboxArchiveOps;
export interface PgStore extends Operations {}

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
    const ready = this.#ready;
    const db: PgDb = {
      pool,
      ready: () => ready,
      q: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
        await ready;
        return (await pool.query<R>(sql, params)).rows;
      },
      tx: async <T>(fn: (c: pg.PoolClient) => Promise<T>) => {
        await ready;
        return inTransaction(pool, fn);
      },
      checkFence: (c, docName) => checkFence(c, options.fence, docName),
    };
    Object.assign(
      this,
      documentOps(db),
      groupListOps(db),
      inboxArchiveOps(db),
      membershipOps(db),
      directoryOps(db),
      auditOps(db),
      sessionOps(db),
    );
  }

  /** SCALE-5: resolves true when PostgreSQL answers within `timeoutMs` on a fresh connection (readiness). */
  ping(timeoutMs: number): Promise<boolean> {
    return probeServer(this.#o, timeoutMs);
  }

  /** Resolves once connected and migrated (rejects when that failed). */
  ready(): Promise<void> {
    return this.#ready;
  }

  #closed: Promise<void> | null = null;
  close(): Promise<void> {
    this.#closed ??= this.#ready.catch(() => {}).then(() => this.pool.end());
    return this.#closed;
  }
}
