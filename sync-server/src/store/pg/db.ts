/** What the PostgreSQL store's parts (documents, directory, audit, …) use of it: its pool, once ready. */
import type pg from 'pg';

export interface PgDb {
  readonly pool: pg.Pool;
  /** Resolves once connected and migrated. */
  ready(): Promise<void>;
  /** One statement on a pooled connection, after `ready`. */
  q<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** A transaction, after `ready`. */
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /** SCALE-2: throws FencedError unless this node holds the document's lease (fence.ts). */
  checkFence(c: pg.PoolClient, docName: string): Promise<void>;
}
