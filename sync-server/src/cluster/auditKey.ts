/**
 * SCALE-9: every node of a cluster signs audit checkpoints with one key (MUSTER_AUDIT_KEY_FILE, the same file on
 * each), so the one chain in PostgreSQL verifies against every node's witness with one public key, and an auditor's
 * device sees the same key whichever node the balancer picks. The first node records the key's public half in
 * `audit_key`; a node started with another key refuses to start. The row only catches a misconfigured node: trust
 * in a checkpoint still comes from the key file, never from the database (whoever can write the database could
 * write a key there too).
 */
import type pg from 'pg';
import type { AuditSigningKey } from '../audit/signingKey.ts';

export class AuditKeyMismatch extends Error {
  constructor(mine: string, theirs: { keyId: string; node: string }) {
    super(
      `this node's audit key ${mine} (MUSTER_AUDIT_KEY_FILE) is not the cluster's ${theirs.keyId} (first used by ` +
        `node ${theirs.node}): give every node the same key file`,
    );
    this.name = 'AuditKeyMismatch';
  }
}

/** Records the key when the cluster has none yet; throws AuditKeyMismatch when it has another. */
export async function claimClusterAuditKey(
  pool: pg.Pool,
  key: AuditSigningKey,
  nodeId: string,
  now: number,
): Promise<void> {
  await pool.query(
    'INSERT INTO audit_key (key_id, public_key_pem, node, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [key.keyId, key.publicKeyPem, nodeId, now],
  );
  const row = (await pool.query<{ key_id: string; node: string }>('SELECT key_id, node FROM audit_key')).rows[0];
  if (row && row.key_id !== key.keyId) throw new AuditKeyMismatch(key.keyId, { keyId: row.key_id, node: row.node });
}
