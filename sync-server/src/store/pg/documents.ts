/**
 * The PostgreSQL store's documents (SCALE-1): update logs appended in one transaction per batch (with the group
 * index rows the batch carries), loaded from a consistent snapshot, and compacted. Every append or compaction of a
 * document checks this node's lease on it first (SCALE-2, fence.ts).
 */
import type { PgDb } from './db.ts';
import { insertAudit } from './audit.ts';
import { bump } from './groupList.ts';
import { insertMembers } from './membership.ts';
import { bytes } from '../sqlite/rows.ts';
import type { Store } from '../store.ts';

export type DocumentOps = Pick<Store, 'appendUpdates' | 'loadDoc' | 'compact'>;

export function documentOps(db: PgDb): DocumentOps {
  const appendUpdates: Store['appendUpdates'] = (batch) =>
    db.tx(async (c) => {
      // Rows locked in name order, so two nodes' batches never deadlock.
      for (const name of [...new Set(batch.map((b) => b.docName))].sort()) {
        await db.checkFence(c, name);
        await c.query('INSERT INTO docs (name, last_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING', [name]);
        await c.query('SELECT 1 FROM docs WHERE name = $1 FOR UPDATE', [name]);
      }
      const results = [];
      for (const item of batch) {
        const row = (
          await c.query<{ last_seq: number; snapshot_seq: number }>(
            'SELECT last_seq, snapshot_seq FROM docs WHERE name = $1',
            [item.docName],
          )
        ).rows[0]!;
        const n = item.updates.length;
        if (n > 0) {
          await c.query(
            'INSERT INTO updates (doc, seq, data) SELECT $1, $2::bigint + o, d FROM unnest($3::bytea[]) WITH ORDINALITY AS u(d, o)',
            [item.docName, row.last_seq, item.updates.map((x) => Buffer.from(x))],
          );
          await c.query('UPDATE docs SET last_seq = $1 WHERE name = $2', [row.last_seq + n, item.docName]);
        }
        const g = item.group;
        if (g) {
          await c.query(
            `INSERT INTO groups (id, title, kind, initiator_name, created_at, updated_at, entry_count, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
               initiator_name = excluded.initiator_name, created_at = excluded.created_at,
               updated_at = excluded.updated_at, entry_count = excluded.entry_count,
               status = COALESCE(excluded.status, groups.status)`,
            [
              g.id,
              g.title,
              g.kind,
              g.initiatorName,
              g.createdAt,
              g.updatedAt,
              g.entryCount,
              g.status ? JSON.stringify(g.status) : null,
            ],
          );
          await bump(c, g.id);
        }
        const lastSeq = row.last_seq + n;
        results.push({ docName: item.docName, lastSeq, sinceSnapshot: lastSeq - row.snapshot_seq });
      }
      // AUDIT-7: the audit rows about these updates commit with them or not at all (a node killed before the commit
      // leaves neither, and the next owner writes both once the device sends the updates again).
      // AUDIT-8: so do the members they register, each new one with its row (before the item's own rows).
      const rows = [];
      for (const item of batch) {
        const fresh = new Set(
          await insertMembers(
            c,
            (item.members ?? []).map((r) => r.member),
          ),
        );
        for (const r of item.members ?? []) if (fresh.has(r.member)) rows.push(r.audit);
        rows.push(...(item.audit ?? []));
      }
      await insertAudit(c, rows);
      return results;
    });

  const loadDoc: Store['loadDoc'] = (docName) =>
    db.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const row = (
        await c.query<{ last_seq: number; snapshot: Buffer | null; snapshot_seq: number }>(
          'SELECT last_seq, snapshot, snapshot_seq FROM docs WHERE name = $1',
          [docName],
        )
      ).rows[0];
      if (!row) return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 };
      const updates = (
        await c.query<{ data: Buffer }>('SELECT data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq', [
          docName,
          row.snapshot_seq,
        ])
      ).rows.map((r) => bytes(r.data));
      return {
        snapshot: row.snapshot ? bytes(row.snapshot) : null,
        snapshotSeq: row.snapshot_seq,
        updates,
        lastSeq: row.last_seq,
      };
    });

  const compact: Store['compact'] = (docName, snapshot, uptoSeq) =>
    db.tx(async (c) => {
      await db.checkFence(c, docName);
      const row = (
        await c.query<{ last_seq: number; snapshot_seq: number }>(
          'SELECT last_seq, snapshot_seq FROM docs WHERE name = $1 FOR UPDATE',
          [docName],
        )
      ).rows[0];
      if (!row || uptoSeq <= row.snapshot_seq || uptoSeq > row.last_seq) return;
      await c.query('UPDATE docs SET snapshot = $1, snapshot_seq = $2 WHERE name = $3', [
        Buffer.from(snapshot),
        uptoSeq,
        docName,
      ]);
      await c.query('DELETE FROM updates WHERE doc = $1 AND seq <= $2', [docName, uptoSeq]);
    });

  return { appendUpdates, loadDoc, compact };
}
