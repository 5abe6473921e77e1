/**
 * AUDIT-1: the audit log is hash-chained. Each row's hash is SHA-256 over the previous row's hash and the row's
 * own stored columns, so editing, inserting or deleting any row breaks the chain from that row on.
 */
import { createHash } from 'node:crypto';

/** The `prev` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row's columns as stored (detail is the stored JSON text, not re-serialised). */
export interface ChainedColumns {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  docName: string | null;
  detail: string | null;
}

export function auditHash(prevHash: string, row: ChainedColumns): string {
  const content = JSON.stringify([prevHash, row.seq, row.at, row.actor, row.action, row.docName, row.detail]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export interface StoredChainRow extends ChainedColumns {
  prevHash: string | null;
  hash: string | null;
}

export type ChainVerdict =
  { ok: true; rows: number; lastHash: string } | { ok: false; rows: number; brokenSeq: number; reason: string };

/**
 * AUDIT-2: walks the rows in order and names the first one that does not chain: a sequence gap (deleted row), a
 * `prev_hash` that is not the previous row's hash, or a hash that does not match the row's content.
 */
export function verifyChain(rows: Iterable<StoredChainRow>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  let n = 0;
  for (const row of rows) {
    n++;
    if (expectedSeq !== null && row.seq !== expectedSeq) {
      return { ok: false, rows: n, brokenSeq: row.seq, reason: `sequence gap: expected ${expectedSeq}` };
    }
    if (row.prevHash !== prev) {
      return { ok: false, rows: n, brokenSeq: row.seq, reason: 'prev_hash is not the previous row’s hash' };
    }
    const h = auditHash(prev, row);
    if (row.hash !== h) return { ok: false, rows: n, brokenSeq: row.seq, reason: 'hash does not match the row' };
    prev = h;
    expectedSeq = row.seq + 1;
  }
  return { ok: true, rows: n, lastHash: prev };
}
