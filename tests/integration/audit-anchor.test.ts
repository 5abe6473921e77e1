/**
 * AUDIT-6: the audit chain is anchored by signed checkpoints kept outside the database. Against the real relay's
 * data dir: deleting the last row or the last five, or editing a row and re-hashing the rest, still chains, but
 * `npm run audit:verify` reports it against the latest witnessed checkpoint (the data dir's own witness file or an
 * auditor's device's), and the relay warns at start-up.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditHeadResponse } from '@muster/protocol';
import { auditHash } from '../../sync-server/src/audit/chain.ts';
import { verifyAuditFile } from '../../sync-server/src/audit/verifyCli.ts';
import { login } from '../helpers/clients.ts';
import { REPO_ROOT, TestServer, startServer } from '../helpers/startServer.ts';

const CLI = path.join(REPO_ROOT, 'sync-server/src/audit/verifyCli.ts');

function verify(dataDir: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MUSTER_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

interface Row {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
}

/** An attacker with the file: drops the append-only triggers, then changes rows at will. */
function tamper(dataDir: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  fn(db);
  db.close();
}

function deleteLast(db: Database.Database, n: number): void {
  db.prepare('DELETE FROM audit WHERE seq > (SELECT MAX(seq) FROM audit) - ?').run(n);
  // Also hide the numbering: the next row would otherwise show the gap.
  db.prepare("UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM audit) WHERE name = 'audit'").run();
}

function editAndRehash(db: Database.Database, seq: number): void {
  db.prepare("UPDATE audit SET actor = 'demo099' WHERE seq = ?").run(seq);
  let prev = (db.prepare('SELECT hash FROM audit WHERE seq = ?').get(seq - 1) as { hash: string }).hash;
  for (const r of db.prepare<[number], Row>('SELECT * FROM audit WHERE seq >= ? ORDER BY seq').all(seq)) {
    const hash = auditHash(prev, {
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      docName: r.doc_name,
      detail: r.detail,
    });
    db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
}

function copyDir(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-anchor-'));
  fs.cpSync(from, to, { recursive: true });
  return to;
}

describe('audit chain anchored by signed checkpoints', () => {
  let server: TestServer;
  let deviceWitness = '';
  const copies: string[] = [];
  const copy = (): string => {
    const d = copyDir(server.dataDir);
    copies.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startServer();
    for (const who of ['demo015', 'demo005', 'demo007', 'demo010']) await login(server.url, who);
    // An auditor's device witnesses the head (the audit page keeps it; here it is saved to a file).
    const auditor = await login(server.url, 'demo004');
    const res = await fetch(`${server.url}/api/audit/head`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(res.status).toBe(200);
    const head = (await res.json()) as AuditHeadResponse;
    expect(head.checkpoint?.seq).toBeGreaterThanOrEqual(5);
    expect(head.publicKeyPem).toContain('PUBLIC KEY');
    deviceWitness = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-device-')), 'witness.json');
    copies.push(path.dirname(deviceWitness));
    fs.writeFileSync(deviceWitness, JSON.stringify({ checkpoint: head.checkpoint }));
    // More rows after the device's checkpoint; the orderly stop signs the last head.
    await login(server.url, 'demo011');
    await server.kill('SIGTERM');
  });

  afterAll(async () => {
    await server?.stop();
    for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
  });

  it('AUDIT-6: an untouched data dir verifies and holds its latest checkpoint; the key is a file of its own', () => {
    const ok = verify(server.dataDir);
    expect(ok.out).toMatch(/audit chain intact: \d+ rows.*holds the checkpoint at seq=\d+/);
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(server.dataDir, 'audit-signing-key.pem'), 'utf8')).toContain('PRIVATE KEY');
    const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
    const blob = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    db.close();
    expect(blob).not.toContain('PRIVATE KEY');
  });

  it('AUDIT-6: deleting the last row, or the last five, chains but is reported as truncated', () => {
    for (const n of [1, 5]) {
      const dir = copy();
      tamper(dir, (db) => deleteLast(db, n));
      expect(verifyAuditFile(path.join(dir, 'muster.sqlite')).ok, 'the chain alone cannot tell').toBe(true);
      const r = verify(dir);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain('audit log TRUNCATED');
    }
  });

  it('AUDIT-6: a row edited and every later row re-hashed chains but is reported as rewritten', () => {
    const dir = copy();
    tamper(dir, (db) => editAndRehash(db, 3));
    expect(verifyAuditFile(path.join(dir, 'muster.sqlite')).ok).toBe(true);
    const r = verify(dir);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('audit log REWRITTEN');
  });

  it('AUDIT-6: with the witness file cut back too, the checkpoint an auditor’s device kept still tells', () => {
    const dir = copy();
    tamper(dir, (db) => deleteLast(db, 5));
    // The attacker also rewinds the server's witness file to a checkpoint the shortened log holds.
    fs.writeFileSync(path.join(dir, 'audit-checkpoints.jsonl'), '');
    expect(verify(dir).status).toBe(0);
    const r = verify(dir, '--witness', deviceWitness);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/TRUNCATED|REWRITTEN/);
  });

  it('AUDIT-6: a checkpoint not signed by the audit key is reported as forged', () => {
    const dir = copy();
    const file = path.join(dir, 'audit-checkpoints.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as { seq: number };
    fs.appendFileSync(file, JSON.stringify({ ...last, seq: last.seq + 100 }) + '\n');
    const r = verify(dir);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('FORGED-CHECKPOINT');
  });

  it('AUDIT-6: the relay warns at start-up when the chain does not verify', async () => {
    const dir = copy();
    tamper(dir, (db) => deleteLast(db, 1));
    const again = new TestServer({ dataDir: dir });
    try {
      await again.start();
      expect(again.output()).toMatch(/WARN.*the audit log does not verify.*TRUNCATED/);
    } finally {
      await again.stop();
    }
    const intact = new TestServer({ dataDir: copy() });
    try {
      await intact.start();
      expect(intact.output()).not.toMatch(/audit log does not verify/);
    } finally {
      await intact.stop();
    }
  });
});
