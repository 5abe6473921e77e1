/**
 * HIST-8: the PostgreSQL store's inbox archive (`inbox_archive`, migration 8). Archiving checks this node's lease on
 * the inbox document first (SCALE-2: only its owner rewrites it) and its last sequence number, then keeps the rows
 * and replaces the document's state, in one transaction.
 */
import type { InboxItem } from '@muster/core';
import type { PgDb } from './db.ts';
import { InboxArchiveConflict } from '../store.ts';
import type { ArchivedInboxRow, Store } from '../store.ts';

interface ArchiveDbRow {
  person_id: string;
  item: string;
  read_at: string | null;
  archived_at: string;
}

const rowOf = (r: ArchiveDbRow): ArchivedInboxRow => ({
  personId: r.person_id,
  item: JSON.parse(r.item) as InboxItem,
  readAt: r.read_at === null ? null : Number(r.read_at),
  archivedAt: Number(r.archived_at),
});

export type InboxArchiveOps = Pick<Store, 'archiveInbox' | 'listInboxArchive' | 'archivedInboxIds'>;

export function inboxArchiveOps(db: PgDb): InboxArchiveOps {
  const archiveInbox: Store['archiveInbox'] = (w) =>
    db.tx(async (c) => {
      await db.checkFence(c, w.docName);
      await c.query('INSERT INTO docs (name, last_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING', [w.docName]);
      const row = (
        await c.query<{ last_seq: string }>('SELECT last_seq FROM docs WHERE name = $1 FOR UPDATE', [w.docName])
      ).rows[0]!;
      if (Number(row.last_seq) !== w.lastSeq) throw new InboxArchiveConflict(w.docName);
      if (w.rows.length > 0) {
        await c.query(
          `INSERT INTO inbox_archive (person_id, item_id, at, item, read_at, archived_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[])
           ON CONFLICT (person_id, item_id) DO NOTHING`,
          [
            w.rows.map((r) => r.personId),
            w.rows.map((r) => r.item.id),
            w.rows.map((r) => r.item.at),
            w.rows.map((r) => JSON.stringify(r.item)),
            w.rows.map((r) => r.readAt),
            w.rows.map((r) => r.archivedAt),
          ],
        );
      }
      await c.query('UPDATE docs SET snapshot = $1, snapshot_seq = last_seq WHERE name = $2', [
        Buffer.from(w.snapshot),
        w.docName,
      ]);
      await c.query('DELETE FROM updates WHERE doc = $1', [w.docName]);
    });

  const listInboxArchive: Store['listInboxArchive'] = async (q) => {
    const rows = q.before
      ? await db.q<ArchiveDbRow>(
          `SELECT * FROM inbox_archive WHERE person_id = $1 AND (at, item_id) < ($2, $3)
           ORDER BY at DESC, item_id DESC LIMIT $4`,
          [q.personId, q.before.at, q.before.itemId, q.limit],
        )
      : await db.q<ArchiveDbRow>(
          'SELECT * FROM inbox_archive WHERE person_id = $1 ORDER BY at DESC, item_id DESC LIMIT $2',
          [q.personId, q.limit],
        );
    return rows.map(rowOf);
  };

  const archivedInboxIds: Store['archivedInboxIds'] = async (personId, itemIds) =>
    itemIds.length === 0
      ? []
      : (
          await db.q<{ item_id: string }>(
            'SELECT item_id FROM inbox_archive WHERE person_id = $1 AND item_id = ANY($2)',
            [personId, [...new Set(itemIds)]],
          )
        ).map((r) => r.item_id);

  return { archiveInbox, listInboxArchive, archivedInboxIds };
}
