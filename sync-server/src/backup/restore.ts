/**
 * BACKUP-2: a backup is verified before it is put in place: the manifest's files match their hashes, the database
 * passes SQLite's integrity check, every document loads (snapshot and updates apply to a Y.Doc), every photo's
 * bytes match the SHA-256 it is named by, and the audit log verifies: its hash chain, and against the latest signed
 * checkpoint of the backup's witness file (AUDIT-6). Only a backup that passes is copied into the data dir; a data
 * dir that holds something is moved aside (`<dataDir>.before-restore-<time>`), never deleted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { verifyAuditDataDir } from '../audit/verifyLog.ts';
import { SQLITE_FILE } from '../store/sqlite/schema.ts';
import { MANIFEST_FILE, PHOTOS_DIR, sha256File } from './backup.ts';
import type { BackupManifest } from './backup.ts';

export interface BackupVerdict {
  ok: boolean;
  /** What is wrong, one line each, naming the file or document. */
  problems: string[];
  documents: number;
  photos: number;
  auditRows: number;
  /** The audit verdict's line. */
  audit: string;
}

function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a backup (no ${MANIFEST_FILE})`);
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (m.format !== 1 || typeof m.files !== 'object') throw new Error(`${file}: unknown backup format`);
  return m;
}

/** Every document of the database loads into a Y.Doc; returns how many, and the ones that do not. */
function checkDocuments(dbFile: string, problems: string[]): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`${SQLITE_FILE}: integrity check: ${String(integrity)}`);
    const updates = db.prepare<[string, number], { data: Buffer }>(
      'SELECT data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq',
    );
    let n = 0;
    const docs = db.prepare<[], { name: string; snapshot: Buffer | null; snapshot_seq: number; last_seq: number }>(
      'SELECT name, snapshot, snapshot_seq, last_seq FROM docs ORDER BY name',
    );
    for (const d of docs.iterate()) {
      n++;
      const doc = new Y.Doc();
      try {
        if (d.snapshot) Y.applyUpdate(doc, new Uint8Array(d.snapshot));
        const rows = updates.all(d.name, d.snapshot_seq);
        if (d.snapshot_seq + rows.length !== d.last_seq) {
          problems.push(`document ${d.name}: ${d.last_seq - d.snapshot_seq} updates expected, ${rows.length} found`);
        }
        for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
        if (doc.store.pendingStructs || doc.store.pendingDs) problems.push(`document ${d.name}: missing updates`);
      } catch (error) {
        problems.push(`document ${d.name}: does not load (${error instanceof Error ? error.message : String(error)})`);
      } finally {
        doc.destroy();
      }
    }
    return n;
  } finally {
    db.close();
  }
}

/** Every photo's bytes hash to its name (`photos/ab/<62 hex>`). */
function checkPhotos(dir: string, problems: string[]): number {
  const root = path.join(dir, PHOTOS_DIR);
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const prefix of fs.readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of fs.readdirSync(path.join(root, prefix))) {
      if (!/^[0-9a-f]{62}$/.test(name)) continue;
      n++;
      const file = path.join(root, prefix, name);
      const actual = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      if (actual !== prefix + name)
        problems.push(`${path.join(PHOTOS_DIR, prefix, name)}: bytes do not match the name`);
    }
  }
  return n;
}

export function verifyBackup(dir: string): BackupVerdict {
  const problems: string[] = [];
  const manifest = readManifest(dir);
  for (const [name, hash] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) problems.push(`${name}: missing`);
    else if (sha256File(file) !== hash) problems.push(`${name}: changed since the backup was taken`);
  }
  const dbFile = path.join(dir, SQLITE_FILE);
  let documents = 0;
  let audit = 'audit log not checked';
  let auditRows = 0;
  if (fs.existsSync(dbFile)) {
    documents = checkDocuments(dbFile, problems);
    try {
      const v = verifyAuditDataDir(dir);
      audit = v.message;
      auditRows = v.lastSeq;
      if (!v.ok) problems.push(`audit log: ${v.message}`);
    } catch (error) {
      problems.push(`audit log: cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  } else problems.push(`${SQLITE_FILE}: missing`);
  const photos = checkPhotos(dir, problems);
  if (photos !== manifest.photos) problems.push(`photos: ${manifest.photos} in the manifest, ${photos} found`);
  return { ok: problems.length === 0, problems, documents, photos, auditRows, audit };
}

export interface RestoreResult {
  verdict: BackupVerdict;
  /** Where the data dir's earlier content went, if it held any. */
  movedAside: string | null;
}

/**
 * Verifies `backupDir` and, when it passes, puts a copy of it in place as `dataDir` (the server must be stopped).
 * Throws when the backup does not verify; nothing is changed then.
 */
export function restoreBackup(backupDir: string, dataDir: string, now: () => Date = () => new Date()): RestoreResult {
  const verdict = verifyBackup(backupDir);
  if (!verdict.ok) {
    throw new Error(`the backup ${backupDir} does not verify; nothing restored:\n  ${verdict.problems.join('\n  ')}`);
  }
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const staging = `${dataDir}.restoring-${stamp}`;
  fs.cpSync(backupDir, staging, { recursive: true, filter: (src) => path.basename(src) !== MANIFEST_FILE });
  let movedAside: string | null = null;
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    movedAside = `${dataDir}.before-restore-${stamp}`;
    fs.renameSync(dataDir, movedAside);
  } else if (fs.existsSync(dataDir)) fs.rmdirSync(dataDir);
  fs.renameSync(staging, dataDir);
  return { verdict, movedAside };
}
