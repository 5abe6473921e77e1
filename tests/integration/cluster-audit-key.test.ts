/**
 * SCALE-9: the nodes of a cluster sign audit checkpoints with one key file they share, so an auditor's device sees
 * one key whichever node answers and every node's witness verifies the one chain in PostgreSQL; a node started with
 * another key refuses to start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditHeadResponse } from '@muster/protocol';
import { keyIdOf, readPublicKey } from '../../sync-server/src/audit/signingKey.ts';
import { freePort, TestCluster } from '../helpers/cluster.ts';
import { login } from '../helpers/clients.ts';

async function head(baseUrl: string): Promise<AuditHeadResponse> {
  const auditor = await login(baseUrl, 'demo004');
  const res = await fetch(`${baseUrl}/api/audit/head`, { headers: { authorization: `Bearer ${auditor.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as AuditHeadResponse;
}

describe('one audit key for the cluster', () => {
  let cluster: TestCluster;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-other-key-'));
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2 });
  }, 120_000);
  afterAll(async () => {
    if (failed) console.log(cluster.output());
    await cluster?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('SCALE-9 AUDIT-6: every node signs with the shared key; all witnesses verify the one chain', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const keyId = keyIdOf(readPublicKey(cluster.auditKeyFile));
      const h1 = await head(n1!.server.url);
      await login(n2!.server.url, 'demo015');
      const h2 = await head(n2!.server.url);
      await login(cluster.url, 'demo005');
      const h3 = await head(cluster.url);
      for (const h of [h1, h2, h3]) {
        expect(h.keyId).toBe(keyId);
        expect(h.checkpoint?.keyId).toBe(keyId);
        expect(h.publicKeyPem).toBe(h1.publicKeyPem);
      }
      expect(h2.checkpoint!.seq).toBeGreaterThan(h1.checkpoint!.seq);
      const recorded = await cluster.pool.query<{ key_id: string }>('SELECT key_id FROM audit_key');
      expect(recorded.rows).toEqual([{ key_id: keyId }]);

      // The CLI checks the chain in PostgreSQL against both nodes' witness files with the one key.
      const ok = cluster.auditVerify();
      expect(ok.out).toMatch(/intact/i);
      expect(ok.status).toBe(0);

      // With another key, the same witnesses are not the cluster's: reported, exit 1.
      const other = path.join(tmp, 'other.pem');
      fs.writeFileSync(
        other,
        crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      const forged = cluster.auditVerify('--key', other);
      expect(forged.status, forged.out).toBe(1);
      expect(forged.out).toMatch(/not signed by the audit key/);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 120_000);

  it('SCALE-9: a node started with another key file refuses to start and names both keys', async () => {
    const other = path.join(tmp, 'n3.pem');
    const privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
    fs.writeFileSync(other, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const mine = keyIdOf(crypto.createPublicKey(privateKey));
    const port = await freePort();
    const n3 = cluster.nodeServer('n3', port, null, { MUSTER_AUDIT_KEY_FILE: other });
    try {
      const started = n3.start(port).then(
        () => null,
        (error: unknown) => String(error),
      );
      const refused = await started;
      expect(refused).toContain(`audit key ${mine}`);
      expect(refused).toContain(`not the cluster's ${keyIdOf(readPublicKey(cluster.auditKeyFile))}`);
      // A missing key file is refused too: a node never makes a key of its own.
      const n4 = cluster.nodeServer('n4', port, null, { MUSTER_AUDIT_KEY_FILE: path.join(tmp, 'missing.pem') });
      const missing = await n4.start(port).then(
        () => null,
        (error: unknown) => String(error),
      );
      expect(missing).toContain('no audit key at');
      expect(fs.existsSync(path.join(tmp, 'missing.pem'))).toBe(false);
      await n4.stop();
    } finally {
      await n3.stop();
    }
  }, 60_000);
});
