/**
 * Connection pools to PostgreSQL: BIGINT columns come back as numbers (milliseconds and sequence numbers stay far
 * below 2^53), and an idle connection that breaks (PostgreSQL restarted) is dropped by the pool, never thrown.
 */
import pg from 'pg';

export interface PgOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Schema holding the tables (created when missing); default `public`. */
  schema?: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** A query not answered within this long fails (an unreachable server; default 15 s). */
  queryTimeoutMs?: number;
  /** How the connections name themselves in `pg_stat_activity` (default `muster`; a node: `muster-<node id>`). */
  applicationName?: string;
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A schema name that is safe to quote (tests make random ones). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

export function createPool(o: PgOptions, onError: (error: Error) => void): pg.Pool {
  const schema = checkSchemaName(o.schema ?? 'public');
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 10,
    types,
    connectionTimeoutMillis: 5000,
    query_timeout: o.queryTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    // A connection whose peer vanished without a FIN/RST is noticed by TCP keepalive, not only by a query timeout.
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    options: `-c search_path=${schema}`,
    application_name: o.applicationName ?? 'muster',
  });
  pool.on('error', onError);
  // SCALE-7: a connection checked out of the pool (a transaction under way) that PostgreSQL drops (a restart, a
  // crash) emits 'error' on its client, which the pool listens to only while the client is idle: without a listener
  // of its own the process would die. The query under way rejects with the same error and its caller handles it
  // (the commit fails, the clients send again); an idle connection's error still reaches `onError` via the pool.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * SCALE-5: whether the server answers right now, on a connection of its own (not a pooled one that may be stale,
 * busy or queued behind stuck queries): connecting and `SELECT 1` must finish within `timeoutMs`, enforced both by
 * the client (connect and query timeouts) and by the server (statement_timeout). Never throws.
 */
export async function probeServer(o: PgOptions, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: o.url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'muster-probe',
  });
  client.on('error', () => {});
  const timer = setTimeout(() => void client.end().catch(() => {}), timeoutMs);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    await client.end().catch(() => {});
  }
}

/** Creates the schema when missing (before the first migration). */
export async function ensureSchema(pool: pg.Pool, schema = 'public'): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${checkSchemaName(schema)}"`);
}

/** Runs `fn` in a transaction on one pooled connection; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
