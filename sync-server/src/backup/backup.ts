/**
 * BACKUP-1: a consistent copy of an embedded (SQLite) data dir while the relay runs. Order matters:
 *  1. the audit witness file (`audit-checkpoints.jsonl`) first: every checkpoint in it names rows the database
 *     copy will hold;
 *  2. the database by `VACUUM INTO` (one read transaction: a consistent snapshot however busy the writer is, and
 *     it never restarts the way the page-by-page backup API does under load); the statistics projection likewise;
 *  3. the photos after it: photos are content-addressed and only ever added, so every photo the copied documents
 *     name is there (temp files of unfinished uploads are left out);
 *  4. the token secret and the audit signing key.
 * A manifest (`backup.json`) lists every file with its SHA-256, for the restore's verification.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SECRET_FILE } from '../auth/secret.ts';
import { WITNESS_FILE } from '../audit/checkpoints.ts';
import { AUDIT_KEY_FILE } from '../audit/signingKey.ts';
import { STATS_FILE } from '../stats/sqliteSchema.ts';
import { SQLITE_FILE } from '../store/sqlite/schema.ts';

export const MANIFEST_FILE = 'backup.json';
export const PHOTOS_DIR = 'photos';

export interface BackupManifest {
  format: 1;
  createdAt: string;
  /** Files other than photos (relative path → SHA-256 hex). */
  files: Record<string, string>;
  photos: number;
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function vacuumInto(source: string, target: string): void {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

/** Copies the photo tree (content-addressed files and their group markers), leaving temp files out. */
function copyPhotos(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  let photos = 0;
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const name = path.basename(src);
      if (name.endsWith('.tmp')) return false;
      if (/^[0-9a-f]{62}$/.test(name) && fs.statSync(src).isFile()) photos++;
      return true;
    },
  });
  return photos;
}

export interface BackupOptions {
  /** The audit key when it is kept outside the data dir (MUSTER_AUDIT_KEY_FILE). */
  keyFile?: string;
  now?: () => Date;
}

/** Takes a backup of `dataDir` into `outDir` (created; must not exist or be empty). */
export function takeBackup(dataDir: string, outDir: string, opts: BackupOptions = {}): BackupManifest {
  const db = path.join(dataDir, SQLITE_FILE);
  if (!fs.existsSync(db)) throw new Error(`no database at ${db} (is MUSTER_DATA_DIR an embedded-store data dir?)`);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw new Error(`${outDir} is not empty`);
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const copy = (from: string, name: string): void => {
    if (!fs.existsSync(from)) return;
    fs.copyFileSync(from, path.join(outDir, name));
    files.push(name);
  };
  copy(path.join(dataDir, WITNESS_FILE), WITNESS_FILE);
  vacuumInto(db, path.join(outDir, SQLITE_FILE));
  files.push(SQLITE_FILE);
  if (fs.existsSync(path.join(dataDir, STATS_FILE))) {
    vacuumInto(path.join(dataDir, STATS_FILE), path.join(outDir, STATS_FILE));
    files.push(STATS_FILE);
  }
  const photos = copyPhotos(path.join(dataDir, PHOTOS_DIR), path.join(outDir, PHOTOS_DIR));
  copy(path.join(dataDir, SECRET_FILE), SECRET_FILE);
  copy(opts.keyFile ?? path.join(dataDir, AUDIT_KEY_FILE), AUDIT_KEY_FILE);
  const manifest: BackupManifest = {
    format: 1,
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
    files: Object.fromEntries(files.map((f) => [f, sha256File(path.join(outDir, f))])),
    photos,
  };
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
