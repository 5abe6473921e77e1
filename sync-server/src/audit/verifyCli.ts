/**
 * `npm run audit:verify [-- --witness FILE …] [--key FILE]`: checks the audit log in MUSTER_DATA_DIR/muster.sqlite
 * (read-only): its hash chain (AUDIT-2) and that it still holds the latest signed checkpoint of the data dir's
 * witness file and of every witness given, e.g. one an auditor's device exported (AUDIT-6). With MUSTER_STORE=pg
 * (MUSTER_PG_URL, MUSTER_PG_SCHEMA) it checks the one chain in PostgreSQL instead, against the witness files given
 * (every node's, SCALE-9) and the data dir's if it has one. Exit 0 when intact, 1 naming what is wrong (broken row,
 * truncated, rewritten, forged checkpoint), 2 when something cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from './chain.ts';
import { openPgStore } from '../store/pgStore.ts';
import { readCheckpoints, witnessFileOf } from './checkpoints.ts';
import { keyFileOf, readPublicKey } from './signingKey.ts';
import { sqliteAuditRows, verifyAuditDataDir, verifyStoreAudit } from './verifyLog.ts';
import type { AuditVerdict } from './verifyLog.ts';

/** AUDIT-2: the hash chain alone of a database file. */
export function verifyAuditFile(file: string): ReturnType<typeof verifyChain> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return verifyChain(sqliteAuditRows(db));
  } finally {
    db.close();
  }
}

function main(): void {
  const dir = path.resolve(process.env['MUSTER_DATA_DIR']?.trim() || './data');
  const file = path.join(dir, 'muster.sqlite');
  const args = process.argv.slice(2);
  const witnessFiles: string[] = [];
  let keyFile = keyFileOf(dir, process.env['MUSTER_AUDIT_KEY_FILE']?.trim() || null);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--witness' && args[i + 1]) witnessFiles.push(path.resolve(args[++i]!));
    else if (args[i] === '--key' && args[i + 1]) keyFile = path.resolve(args[++i]!);
    else {
      process.stderr.write(`audit:verify: unknown argument ${args[i]} (use --witness FILE, --key FILE)\n`);
      process.exit(2);
    }
  }
  if (process.env['MUSTER_STORE']?.trim() === 'pg') {
    verifyPg(dir, keyFile, witnessFiles).then(
      (verdict) => {
        process.stdout.write(verdict.message + '\n');
        process.exit(verdict.ok ? 0 : 1);
      },
      (error: unknown) => {
        process.stderr.write(`audit:verify: cannot read: ${error instanceof Error ? error.message : error}\n`);
        process.exit(2);
      },
    );
    return;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`audit:verify: no database at ${file} (set MUSTER_DATA_DIR)\n`);
    process.exit(2);
  }
  let verdict;
  try {
    verdict = verifyAuditDataDir(dir, { dbFile: file, keyFile, witnessFiles });
  } catch (error) {
    process.stderr.write(`audit:verify: cannot read: ${error instanceof Error ? error.message : error}\n`);
    process.exit(2);
  }
  process.stdout.write(verdict.message + '\n');
  process.exit(verdict.ok ? 0 : 1);
}

/** SCALE-9: the chain in PostgreSQL against every witness file given (and the data dir's, when there is one). */
async function verifyPg(dir: string, keyFile: string, witnessFiles: string[]): Promise<AuditVerdict> {
  const url = process.env['MUSTER_PG_URL']?.trim();
  if (!url) throw new Error('MUSTER_STORE=pg needs MUSTER_PG_URL');
  for (const f of witnessFiles) if (!fs.existsSync(f)) throw new Error(`no witness file at ${f}`);
  const checkpoints = [witnessFileOf(dir), ...witnessFiles].flatMap((f) => readCheckpoints(f));
  if (!fs.existsSync(keyFile) && checkpoints.length > 0) {
    throw new Error(`no audit key at ${keyFile}, but checkpoints to check (set MUSTER_AUDIT_KEY_FILE or --key)`);
  }
  const publicKey = fs.existsSync(keyFile) ? readPublicKey(keyFile) : null;
  const store = openPgStore({ url, schema: process.env['MUSTER_PG_SCHEMA']?.trim() || 'public' });
  try {
    return await verifyStoreAudit(store, checkpoints, publicKey);
  } finally {
    await store.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
