/**
 * AUDIT-6: signed checkpoints anchor the audit chain. A checkpoint names the chain's head (sequence number and
 * hash) at a server time, signed with the Ed25519 audit key (signingKey.ts). Checkpoints are appended, one JSON
 * line each, to a witness file outside the database (`<dataDir>/audit-checkpoints.jsonl`); backups copy it and
 * auditors' devices keep the latest one they saw. A log cut short or rewritten and re-hashed still chains, but no
 * longer holds a witnessed checkpoint's row: `verifyAgainstCheckpoint` tells which.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditCheckpoint } from '@muster/protocol';
import type { AuditSigningKey } from './signingKey.ts';
import { keyIdOf } from './signingKey.ts';

export const WITNESS_FILE = 'audit-checkpoints.jsonl';

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(cp: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at' | 'keyId'>): Buffer {
  return Buffer.from(`muster-audit-checkpoint/1\n${cp.seq}\n${cp.hash}\n${cp.at}\n${cp.keyId}`, 'utf8');
}

export function signCheckpoint(key: AuditSigningKey, head: { seq: number; hash: string }, at: number): AuditCheckpoint {
  const unsigned = { seq: head.seq, hash: head.hash, at, keyId: key.keyId };
  const signature = crypto.sign(null, checkpointMessage(unsigned), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

/** Whether the checkpoint is well formed and signed by `publicKey`. */
export function checkpointSigned(cp: AuditCheckpoint, publicKey: crypto.KeyObject): boolean {
  if (!isCheckpoint(cp) || cp.keyId !== keyIdOf(publicKey)) return false;
  try {
    return crypto.verify(null, checkpointMessage(cp), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

export function isCheckpoint(v: unknown): v is AuditCheckpoint {
  const o = v as Record<string, unknown> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o['seq']) &&
    (o['seq'] as number) >= 0 &&
    typeof o['hash'] === 'string' &&
    /^[0-9a-f]{64}$/.test(o['hash']) &&
    Number.isSafeInteger(o['at']) &&
    typeof o['keyId'] === 'string' &&
    typeof o['signature'] === 'string'
  );
}

export function witnessFileOf(dataDir: string): string {
  return path.join(dataDir, WITNESS_FILE);
}

/** Appends a checkpoint to a witness file and syncs it to disk. */
export function appendCheckpoint(file: string, cp: AuditCheckpoint): void {
  const fd = fs.openSync(file, 'a', 0o644);
  try {
    fs.writeSync(fd, JSON.stringify(cp) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The checkpoints of a witness file: a JSONL file (the server's), a JSON object (one checkpoint, as an auditor's
 * device exports it) or a JSON array. A missing file has none; lines that are not checkpoints are skipped.
 */
export function readCheckpoints(file: string): AuditCheckpoint[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: AuditCheckpoint[] = [];
  const take = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(take);
    else if (isCheckpoint(v)) out.push(v);
    else if (typeof v === 'object' && v !== null && isCheckpoint((v as { checkpoint?: unknown }).checkpoint))
      out.push((v as { checkpoint: AuditCheckpoint }).checkpoint);
  };
  try {
    take(JSON.parse(text));
    return out;
  } catch {
    // not one JSON value: JSON lines
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      take(JSON.parse(line));
    } catch {
      // a torn last line (a crash while appending) is not a checkpoint
    }
  }
  return out;
}

/** What a checkpoint says of the log: still holds it, cut short before it, or rewritten at its row. */
export type AnchorVerdict =
  | { ok: true; checkpoint: AuditCheckpoint | null }
  | { ok: false; kind: 'truncated'; checkpoint: AuditCheckpoint; lastSeq: number; reason: string }
  | { ok: false; kind: 'rewritten'; checkpoint: AuditCheckpoint; reason: string }
  | { ok: false; kind: 'forged-checkpoint'; checkpoint: AuditCheckpoint; reason: string };

/**
 * Checks the log against the latest of the checkpoints that `publicKey` signed. `hashAt(seq)` gives the stored
 * hash of a row (null when there is none); `lastSeq` is the log's last row (0: empty). A checkpoint not signed by
 * the key is reported (a witness was forged or the key was replaced).
 */
export function verifyAgainstCheckpoint(
  checkpoints: readonly AuditCheckpoint[],
  publicKey: crypto.KeyObject,
  lastSeq: number,
  hashAt: (seq: number) => string | null,
): AnchorVerdict {
  let latest: AuditCheckpoint | null = null;
  for (const cp of checkpoints) {
    if (!checkpointSigned(cp, publicKey)) {
      return {
        ok: false,
        kind: 'forged-checkpoint',
        checkpoint: cp,
        reason: `checkpoint at seq=${cp.seq} is not signed by the audit key ${keyIdOf(publicKey)}`,
      };
    }
    if (!latest || cp.seq > latest.seq) latest = cp;
  }
  if (!latest) return { ok: true, checkpoint: null };
  if (latest.seq > lastSeq) {
    return {
      ok: false,
      kind: 'truncated',
      checkpoint: latest,
      lastSeq,
      reason: `the log ends at seq=${lastSeq} but a checkpoint of ${new Date(latest.at).toISOString()} witnessed seq=${latest.seq}`,
    };
  }
  if (latest.seq > 0 && hashAt(latest.seq) !== latest.hash) {
    return {
      ok: false,
      kind: 'rewritten',
      checkpoint: latest,
      reason: `row seq=${latest.seq} no longer has the hash a checkpoint of ${new Date(latest.at).toISOString()} witnessed`,
    };
  }
  return { ok: true, checkpoint: latest };
}
