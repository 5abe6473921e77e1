/** HIST-8: the SQLite store's inbox archive (table `inbox_archive`, migration 6) and the archiving transaction. */
import type Database from 'better-sqlite3';
import type { InboxItem } from '@muster/core';
import { InboxArchiveConflict } from '../store.ts';
import type { ArchivedInboxRow, InboxArchiveQuery, InboxArchiveWrite } from '../store.ts';

interface ArchiveDbRow {
  person_id: string;
  item: string;
  read_at: number | null;
  archived_at: number;
}

const rowOf = (r: ArchiveDbRow): ArchivedInboxRow => ({
  personId: r.person_id,
  item: JSON.parse(r.item) as InboxItem,
  readAt: r.read_at,
  archivedAt: r.archived_at,
});

export interface SqliteInboxArchive {
  archiveInbox: (w: InboxArchiveWrite) => void;
  listInboxArchive: (q: InboxArchiveQuery) => ArchivedInboxRow[];
  archivedInboxIds: (personId: string, itemIds: readonly string[]) => string[];
}

export function sqliteInboxArchive(db: Database.Database): SqliteInboxArchive {
  const seqs = db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM docs WHERE name = ?');
  const insertDoc = db.prepare('INSERT OR IGNORE INTO docs (name, last_seq) VALUES (?, 0)');
  const setSnapshot = db.prepare('UPDATE docs SET snapshot = ?, snapshot_seq = last_seq WHERE name = ?');
  const dropUpdates = db.prepare('DELETE FROM updates WHERE doc = ?');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO inbox_archive (person_id, item_id, at, item, read_at, archived_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const first = db.prepare<[string, number], ArchiveDbRow>(
    'SELECT * FROM inbox_archive WHERE person_id = ? ORDER BY at DESC, item_id DESC LIMIT ?',
  );
  // A row-value comparison, so the page is one range of the index however deep it is.
  const after = db.prepare<[string, number, string, number], ArchiveDbRow>(
    `SELECT * FROM inbox_archive WHERE person_id = ? AND (at, item_id) < (?, ?)
     ORDER BY at DESC, item_id DESC LIMIT ?`,
  );
  const has = db.prepare<[string, string], { item_id: string }>(
    'SELECT item_id FROM inbox_archive WHERE person_id = ? AND item_id = ?',
  );
  return {
    archiveInbox: db.transaction((w: InboxArchiveWrite) => {
      if ((seqs.get(w.docName)?.last_seq ?? 0) !== w.lastSeq) throw new InboxArchiveConflict(w.docName);
      for (const r of w.rows) {
        insert.run(r.personId, r.item.id, r.item.at, JSON.stringify(r.item), r.readAt, r.archivedAt);
      }
      insertDoc.run(w.docName);
      setSnapshot.run(w.snapshot, w.docName);
      dropUpdates.run(w.docName);
    }),
    listInboxArchive: (q) => {
      const rows = q.before
        ? after.all(q.personId, q.before.at, q.before.itemId, q.limit)
        : first.all(q.personId, q.limit);
      return rows.map(rowOf);
    },
    archivedInboxIds: (personId, itemIds) => [...new Set(itemIds)].filter((id) => has.get(personId, id) !== undefined),
  };
}
