import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditHash } from './chain.ts';
import type { StoredChainRow } from './chain.ts';
import { appendCheckpoint, readCheckpoints, signCheckpoint } from './checkpoints.ts';
import { loadOrCreateAuditKey } from './signingKey.ts';
import { verifyAuditRows } from './verifyLog.ts';

function chain(n: number, from: StoredChainRow[] = []): StoredChainRow[] {
  const rows = [...from];
  let prev = rows[rows.length - 1]?.hash ?? GENESIS_HASH;
  for (let i = rows.length + 1; i <= n; i++) {
    const r = { seq: i, at: 1000 + i, actor: `p${i % 3}`, action: 'group-open', docName: 'group:g', detail: null };
    const hash = auditHash(prev!, r);
    rows.push({ ...r, prevHash: prev!, hash });
    prev = hash;
  }
  return rows;
}

/** Re-hashes every row from index `i` on, as an attacker who edited row i would. */
function rehashFrom(rows: StoredChainRow[], i: number): StoredChainRow[] {
  const out = rows.slice(0, i);
  let prev = out[out.length - 1]?.hash ?? GENESIS_HASH;
  for (const r of rows.slice(i)) {
    const hash = auditHash(prev!, r);
    out.push({ ...r, prevHash: prev!, hash });
    prev = hash;
  }
  return out;
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cp-'));

describe('audit checkpoints (AUDIT-6)', () => {
  const dir = tmp();
  const key = loadOrCreateAuditKey(path.join(dir, 'key.pem'));
  const rows = chain(20);
  const cp = signCheckpoint(key, { seq: 20, hash: rows[19]!.hash! }, 5000);

  it('AUDIT-6: the key is made once, 0600, and read back the same', () => {
    const again = loadOrCreateAuditKey(path.join(dir, 'key.pem'));
    expect(again.keyId).toBe(key.keyId);
    expect(fs.statSync(path.join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('AUDIT-6: an intact log holds its checkpoint', () => {
    const v = verifyAuditRows(rows, [cp], key.publicKey);
    expect(v.ok).toBe(true);
    expect(v.message).toContain('holds the checkpoint at seq=20');
  });

  it('AUDIT-6: deleting the last row, or the last five, still chains but is reported as truncated', () => {
    for (const cut of [1, 5]) {
      const v = verifyAuditRows(rows.slice(0, 20 - cut), [cp], key.publicKey);
      expect(v.chain.ok).toBe(true);
      expect(v).toMatchObject({ ok: false, anchor: { kind: 'truncated', lastSeq: 20 - cut } });
      expect(v.message).toContain(`ends at seq=${20 - cut}`);
    }
  });

  it('AUDIT-6: a row edited and the rest re-hashed still chains but is reported as rewritten', () => {
    const edited = rows.map((r) => (r.seq === 7 ? { ...r, action: 'login' } : r));
    const forged = rehashFrom(edited, 6);
    const v = verifyAuditRows(forged, [cp], key.publicKey);
    expect(v.chain.ok).toBe(true);
    expect(v).toMatchObject({ ok: false, anchor: { kind: 'rewritten' } });
  });

  it('AUDIT-6: a checkpoint signed by another key, or altered, is reported as forged', () => {
    const other = loadOrCreateAuditKey(path.join(tmp(), 'other.pem'));
    const byOther = signCheckpoint(other, { seq: 20, hash: rows[19]!.hash! }, 5000);
    expect(verifyAuditRows(rows, [byOther], key.publicKey).anchor).toMatchObject({ kind: 'forged-checkpoint' });
    const altered = { ...cp, seq: 15, hash: rows[14]!.hash! };
    expect(verifyAuditRows(rows, [altered], key.publicKey).anchor).toMatchObject({ kind: 'forged-checkpoint' });
    expect(crypto.verify(null, Buffer.from('x'), key.publicKey, Buffer.from(cp.signature, 'base64'))).toBe(false);
  });

  it('AUDIT-6: the latest of several checkpoints counts; a broken chain is named before the anchor', () => {
    const early = signCheckpoint(key, { seq: 10, hash: rows[9]!.hash! }, 3000);
    const v = verifyAuditRows(rows.slice(0, 15), [early, cp], key.publicKey);
    expect(v.anchor).toMatchObject({ kind: 'truncated', checkpoint: { seq: 20 } });
    const broken = rows.map((r) => (r.seq === 3 ? { ...r, actor: 'x' } : r));
    const b = verifyAuditRows(broken, [cp], key.publicKey);
    expect(b.message).toContain('BROKEN at row seq=3');
    expect(b.anchor.ok).toBe(true);
  });

  it('AUDIT-6: witness files are read as JSON lines (a torn last line skipped), one object or an array', () => {
    const d = tmp();
    const lines = path.join(d, 'w.jsonl');
    appendCheckpoint(lines, cp);
    appendCheckpoint(lines, { ...cp, seq: 21 });
    fs.appendFileSync(lines, '{"seq": 22, "ha');
    expect(readCheckpoints(lines).map((c) => c.seq)).toEqual([20, 21]);
    const one = path.join(d, 'device.json');
    fs.writeFileSync(one, JSON.stringify({ checkpoint: cp, savedAt: 1 }, null, 2));
    expect(readCheckpoints(one)).toEqual([cp]);
    const arr = path.join(d, 'a.json');
    fs.writeFileSync(arr, JSON.stringify([cp, cp]));
    expect(readCheckpoints(arr)).toHaveLength(2);
    expect(readCheckpoints(path.join(d, 'none.jsonl'))).toEqual([]);
  });
});
