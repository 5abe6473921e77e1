/**
 * AUDIT-2, AUDIT-6: one verdict on an audit log: its hash chain (chain.ts) and its anchor (the latest signed
 * checkpoint it must still hold, checkpoints.ts). Used by `npm run audit:verify`, by the relay at start-up and by
 * backup and restore (`verifyAuditDataDir`).
 */
import type crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AuditCheckpoint } from '@muster/protocol';
import type { Store } from '../store/store.ts';
import { GENESIS_HASH, auditHash } from './chain.ts';
import type { ChainVerdict, StoredChainRow } from './chain.ts';
import { readCheckpoints, verifyAgainstCheckpoint, witnessFileOf } from './checkpoints.ts';
import type { AnchorVerdict } from './checkpoints.ts';
import { keyFileOf, readPublicKey } from './signingKey.ts';

export interface AuditVerdict {
  ok: boolean;
  chain: ChainVerdict;
  anchor: AnchorVerdict;
  /** Last row's sequence number (0: empty). */
  lastSeq: number;
  /** One line for people: what holds, or what is wrong and where. */
  message: string;
}

/**
 * AUDIT-2: walks rows in sequence order one at a time (pages from a store, or a SQLite cursor) with the rules of
 * `verifyChain`, and keeps what the anchor check needs: the last sequence number and the hashes of the rows that
 * checkpoints name.
 */
export class AuditLogWalker {
  #prev = GENESIS_HASH;
  #expected: number | null = null;
  #rows = 0;
  #broken: { brokenSeq: number; rows: number; reason: string } | null = null;
  readonly #wanted: Set<number>;
  readonly #hashes = new Map<number, string | null>();
  lastSeq = 0;

  constructor(checkpoints: readonly AuditCheckpoint[]) {
    this.#wanted = new Set(checkpoints.map((c) => c.seq));
  }

  push(row: StoredChainRow): void {
    this.lastSeq = row.seq;
    if (this.#wanted.has(row.seq)) this.#hashes.set(row.seq, row.hash);
    if (this.#broken) return;
    this.#rows++;
    const fail = (reason: string): void => void (this.#broken = { brokenSeq: row.seq, rows: this.#rows, reason });
    if (this.#expected !== null && row.seq !== this.#expected) return fail(`sequence gap: expected ${this.#expected}`);
    if (row.prevHash !== this.#prev) return fail('prev_hash is not the previous row’s hash');
    const h = auditHash(this.#prev, row);
    if (row.hash !== h) return fail('hash does not match the row');
    this.#prev = h;
    this.#expected = row.seq + 1;
  }

  finish(checkpoints: readonly AuditCheckpoint[], publicKey: crypto.KeyObject | null): AuditVerdict {
    const chain: ChainVerdict = this.#broken
      ? { ok: false, ...this.#broken }
      : { ok: true, rows: this.#rows, lastHash: this.#prev };
    const anchor: AnchorVerdict = publicKey
      ? verifyAgainstCheckpoint(checkpoints, publicKey, this.lastSeq, (seq) => this.#hashes.get(seq) ?? null)
      : { ok: true, checkpoint: null };
    let message: string;
    if (!chain.ok) message = `audit chain BROKEN at row seq=${chain.brokenSeq}: ${chain.reason}`;
    else if (!anchor.ok) message = `audit log ${anchor.kind.toUpperCase()}: ${anchor.reason}`;
    else if (anchor.checkpoint)
      message = `audit chain intact: ${chain.rows} rows, last hash ${chain.lastHash}; holds the checkpoint at seq=${anchor.checkpoint.seq}`;
    else
      message = `audit chain intact: ${chain.rows} rows, last hash ${chain.lastHash}; no checkpoint to anchor it yet`;
    return { ok: chain.ok && anchor.ok, chain, anchor, lastSeq: this.lastSeq, message };
  }
}

/** Verifies rows (in sequence order) and anchors them to the checkpoints signed by `publicKey`. */
export function verifyAuditRows(
  rows: Iterable<StoredChainRow>,
  checkpoints: readonly AuditCheckpoint[],
  publicKey: crypto.KeyObject | null,
): AuditVerdict {
  const w = new AuditLogWalker(checkpoints);
  for (const r of rows) w.push(r);
  return w.finish(checkpoints, publicKey);
}

/** The same over a store, page by page (the relay's start-up check; any Store implementation). */
export async function verifyStoreAudit(
  store: Pick<Store, 'listAudit'>,
  checkpoints: readonly AuditCheckpoint[],
  publicKey: crypto.KeyObject | null,
  pageSize = 5000,
): Promise<AuditVerdict> {
  const w = new AuditLogWalker(checkpoints);
  let after = 0;
  for (;;) {
    const page = await store.listAudit({ afterSeq: after, limit: pageSize });
    for (const r of page) {
      w.push({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        docName: r.docName,
        detail: r.detail ? JSON.stringify(r.detail) : null,
        prevHash: r.prevHash ?? null,
        hash: r.hash ?? null,
      });
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return w.finish(checkpoints, publicKey);
}

interface AuditDbRow {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export function* sqliteAuditRows(db: Database.Database): Generator<StoredChainRow> {
  for (const r of db.prepare<[], AuditDbRow>('SELECT * FROM audit ORDER BY seq').iterate()) {
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

export interface DataDirVerifyOptions {
  /** The SQLite file (default `<dataDir>/muster.sqlite`). */
  dbFile?: string;
  /** The audit key file, private or public PEM (default MUSTER_AUDIT_KEY_FILE's default in the data dir). */
  keyFile?: string;
  /** More witnesses beside `<dataDir>/audit-checkpoints.jsonl`: checkpoints kept by auditors' devices, backups. */
  witnessFiles?: readonly string[];
}

/**
 * AUDIT-6: verifies a data dir's audit log (read-only) against every checkpoint it and the given witnesses hold.
 * Throws when the database or the key cannot be read.
 */
export function verifyAuditDataDir(dataDir: string, opts: DataDirVerifyOptions = {}): AuditVerdict {
  const dbFile = opts.dbFile ?? path.join(dataDir, 'muster.sqlite');
  const keyFile = opts.keyFile ?? keyFileOf(dataDir);
  const checkpoints = [witnessFileOf(dataDir), ...(opts.witnessFiles ?? [])].flatMap((f) => {
    if (f !== witnessFileOf(dataDir) && !fs.existsSync(f)) throw new Error(`no witness file at ${f}`);
    return readCheckpoints(f);
  });
  if (!fs.existsSync(keyFile) && checkpoints.length > 0) {
    throw new Error(`no audit key at ${keyFile}, but checkpoints to check (set MUSTER_AUDIT_KEY_FILE or --key)`);
  }
  // A data dir from before checkpoints has no key and nothing to anchor to: the chain alone is checked.
  const publicKey = fs.existsSync(keyFile) ? readPublicKey(keyFile) : null;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return verifyAuditRows(sqliteAuditRows(db), checkpoints, publicKey);
  } finally {
    db.close();
  }
}
