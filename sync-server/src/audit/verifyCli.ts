/**
 * `npm run audit:verify [-- --witness FILE …] [--key FILE]`: checks the audit log in MUSTER_DATA_DIR/muster.sqlite
 * (read-only): its hash chain (AUDIT-2) and that it still holds the latest signed checkpoint of the data dir's
 * witness file and of every witness given, e.g. one an auditor's device exported (AUDIT-6). Exit 0 when intact,
 * 1 naming what is wrong (broken row, truncated, rewritten, forged checkpoint), 2 when something cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from './chain.ts';
import { keyFileOf } from './signingKey.ts';
import { sqliteAuditRows, verifyAuditDataDir } from './verifyLog.ts';

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

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
