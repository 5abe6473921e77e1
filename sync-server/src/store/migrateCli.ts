/**
 * `npm run migrate:sqlite-to-pg`: moves MUSTER_DATA_DIR/muster.sqlite into the PostgreSQL at MUSTER_PG_URL
 * (schema MUSTER_PG_SCHEMA, default public) and verifies every document and the audit chain after the move.
 * Exit 0 when moved and verified, 1 when verification or the copy failed (nothing is half-copied: one
 * transaction), 2 on a usage error. Stop the server first; photos and the token secret stay in the data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MoveError, moveSqliteToPg } from './migrateSqliteToPg.ts';
import { SQLITE_FILE } from './sqliteStore.ts';

async function main(): Promise<number> {
  const dir = path.resolve(process.env['MUSTER_DATA_DIR']?.trim() || './data');
  const file = path.join(dir, SQLITE_FILE);
  const url = process.env['MUSTER_PG_URL']?.trim();
  const schema = process.env['MUSTER_PG_SCHEMA']?.trim() || 'public';
  if (!url) {
    process.stderr.write('migrate:sqlite-to-pg: set MUSTER_PG_URL (postgres://user@host:5432/db)\n');
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`migrate:sqlite-to-pg: no database at ${file} (set MUSTER_DATA_DIR)\n`);
    return 2;
  }
  try {
    const r = await moveSqliteToPg(dir, file, { url, schema });
    for (const [t, n] of Object.entries(r.tables)) process.stdout.write(`  ${t}: ${n} rows\n`);
    process.stdout.write(`moved ${file} into PostgreSQL schema ${schema}\n`);
    process.stdout.write(`verified: ${r.documents} documents identical (stored rows and rebuilt state)\n`);
    process.stdout.write(`verified: ${r.photos.photos} photos (${r.photos.links} group links) moved and checked\n`);
    if (r.audit.ok)
      process.stdout.write(`verified: audit chain intact, ${r.audit.rows} rows, last hash ${r.audit.lastHash}\n`);
    if (r.notMoved.length) process.stdout.write(`not moved (unknown to this tool): ${r.notMoved.join(', ')}\n`);
    process.stdout.write(
      `photos and the token secret stay in ${dir}: give every node that folder (or the same secret)\n`,
    );
    return 0;
  } catch (error) {
    const text = error instanceof MoveError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`migrate:sqlite-to-pg: FAILED: ${text}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
