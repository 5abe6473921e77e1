/**
 * The one device database `muster`. The group documents live in y-dexie's update table for `groups.doc`
 * (declared `doc: Y.Doc`), loaded only when a group is opened, so the list page reads index rows alone.
 */
import { Dexie, type EntityTable } from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import type { DirectoryRow, GroupRow, SessionRow } from './schema.ts';

export type MusterDB = Dexie & {
  groups: EntityTable<GroupRow, 'id'>;
  session: EntityTable<SessionRow, 'key'>;
  directory: EntityTable<DirectoryRow, 'key'>;
};

export const DB_NAME = 'muster';

function open(): MusterDB {
  const db = new Dexie(DB_NAME, { addons: [yDexie] }) as MusterDB;
  db.version(1).stores({
    groups: 'id, updatedAt, lastOpenedAt, pending, doc: Y.Doc',
    session: 'key',
    directory: 'key',
  });
  return db;
}

export const db: MusterDB = open();

/** The group's Y.Doc (not yet loaded). The index row must exist: y-dexie destroys docs whose row is missing. */
export function groupDoc(id: string): Y.Doc {
  return DexieYProvider.getOrCreateDocument(db, 'groups', 'doc', id);
}
