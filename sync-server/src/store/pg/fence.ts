/**
 * SCALE-2 fencing: with several nodes, appending or compacting a document checks, in the same transaction, that this
 * node still holds the document's lease with the token it was granted; a node that lost its lease (expired, taken
 * over) gets a FencedError and writes nothing.
 */
import type pg from 'pg';

/** The lease a node holds on a document: its node id and fencing token. */
export interface FenceToken {
  node: string;
  token: number;
}

/** A write of a document by a node that no longer holds its lease (SCALE-2). */
export class FencedError extends Error {
  constructor(docName: string) {
    super(`lease of ${docName} is not held by this node`);
    this.name = 'FencedError';
  }
}

/** Throws FencedError unless the lease `fence` names for the document is held (no `fence`: one node, no check). */
export async function checkFence(
  c: pg.PoolClient,
  fence: ((docName: string) => FenceToken | null) | undefined,
  docName: string,
): Promise<void> {
  if (!fence) return;
  const f = fence(docName);
  const held =
    f &&
    (
      await c.query(
        'SELECT 1 FROM leases WHERE doc = $1 AND node = $2 AND token = $3 AND expires_at > clock_timestamp() FOR SHARE',
        [docName, f.node, f.token],
      )
    ).rowCount === 1;
  if (!held) throw new FencedError(docName);
}
