/**
 * `npm run audit:verify`: checks the hash chain of the audit log in MUSTER_DATA_DIR/muster.sqlite (read-only).
 * Exit 0 when intact, 1 naming the first broken row, 2 when the file cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from './chain.ts';
import type { StoredChainRow } from './chain.ts';

interface Row {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export function verifyAuditFile(file: string): ReturnType<typeof verifyChain> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], Row>('SELECT * FROM audit ORDER BY seq').iterate();
    function* mapped(): Generator<StoredChainRow> {
      for (const r of rows) {
        yield {
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          action: r.action,
          docName: r.doc_name,
          detail: r.detail,
          prevHash: r.prev_hash,
          hash: r.hash,
        };
      }
    }
    return verifyChain(mapped());
  } finally {
    db.close();
  }
}

function main(): void {
  const dir = path.resolve(process.env['MUSTER_DATA_DIR']?.trim() || './data');
  const file = path.join(dir, 'muster.sqlite');
  if (!fs.existsSync(file)) {
    process.stderr.write(`audit:verify: no database at ${file} (set MUSTER_DATA_DIR)\n`);
    process.exit(2);
  }
  let verdict;
  try {
    verdict = verifyAuditFile(file);
  } catch (error) {
    process.stderr.write(`audit:verify: cannot read ${file}: ${error instanceof Error ? error.message : error}\n`);
    process.exit(2);
  }
  if (verdict.ok) {
    process.stdout.write(`audit chain intact: ${verdict.rows} rows, last hash ${verdict.lastHash}\n`);
    process.exit(0);
  }
  process.stdout.write(`audit chain BROKEN at row seq=${verdict.brokenSeq}: ${verdict.reason}\n`);
  process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
