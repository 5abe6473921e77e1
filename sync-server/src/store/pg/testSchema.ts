/**
 * PostgreSQL for tests (store tests and tests/): each test gets its own uniquely named schema in the `test` database (MUSTER_TEST_PG_URL
 * overrides), dropped afterwards.
 */
import crypto from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL = process.env['MUSTER_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name, unique across the engineers and processes sharing the database. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${crypto.randomBytes(6).toString('hex')}`;
}

/** Drops a schema made by `uniqueSchema` with everything in it. */
export async function dropSchema(schema: string, url = TEST_PG_URL): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema: ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
