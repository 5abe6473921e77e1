/**
 * The one device database `muster`. The group documents live in y-dexie's update table for `groups.doc`
 * (declared `doc: Y.Doc`), loaded only when a group is opened, so the list page reads index rows alone.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import { upgradeHolders } from './groupIndex.ts';
import type { CacheRow, DirectoryRow, GroupIndexFields, GroupRow, InboxRow, PhotoRow, SessionRow } from './schema.ts';

export type MusterDB = Dexie & {
  groups: EntityTable<GroupRow, 'id'>;
  session: EntityTable<SessionRow, 'key'>;
  directory: EntityTable<DirectoryRow, 'key'>;
  /** Cached server data other than the directory (templates). */
  cache: EntityTable<CacheRow, 'key'>;
  /** The person's inbox document (`inbox:<personId>`), one row per person. */
  inbox: EntityTable<InboxRow, 'id'>;
  /** PHOTO-1: photo bytes by group and content hash, kept for offline viewing; `uploaded` 0 is the upload outbox. */
  photos: Table<PhotoRow, [string, string]>;
};

export const DB_NAME = 'muster';

function open(): MusterDB {
  // Cold-start budget (HIST-4): live queries hand out their cached rows frozen instead of deep-cloning them (the
  // list's 2,000 rows were cloned at each answer, ~40 ms on the main thread before the first list paint). Nothing
  // mutates a row read from a live query: changes go through the table.
  const db = new Dexie(DB_NAME, { addons: [yDexie], cache: 'immutable' }) as MusterDB;
  db.version(1).stores({
    groups: 'id, updatedAt, lastOpenedAt, pending, doc: Y.Doc',
    session: 'key',
    directory: 'key',
  });
  db.version(2).stores({
    cache: 'key',
    inbox: 'id, doc: Y.Doc',
  });
  db.version(3).stores({
    photos: '[groupId+hash], hash, uploaded',
  });
  // Shared tablet: index rows remember whom the device holds them for; existing rows go to the saved session's person.
  db.version(4)
    .stores({})
    .upgrade(async (tx) => {
      const session = (await tx.table('session').get('current')) as SessionRow | undefined;
      const personId = session?.person.id ?? null;
      await tx
        .table('groups')
        .toCollection()
        .modify((row: Partial<GroupIndexFields>) => {
          row.holders = upgradeHolders(row, personId);
        });
    });
  return db;
}

export const db: MusterDB = open();

// Cold-start budget: start opening now, while the rest of the app evaluates and mounts, rather than at
// the first query after boot. It is what that query's auto-open would do (`open().catch(nop)`), only earlier; a
// failure still surfaces on the queries.
if (typeof indexedDB !== 'undefined') db.open().catch(() => {});

/** The group's Y.Doc (not yet loaded). The index row must exist: y-dexie destroys docs whose row is missing. */
export function groupDoc(id: string): Y.Doc {
  return DexieYProvider.getOrCreateDocument(db, 'groups', 'doc', id);
}

/** A person's inbox document (not yet loaded). The row must exist first, as for groups. */
export function inboxDoc(personId: string): Y.Doc {
  return DexieYProvider.getOrCreateDocument(db, 'inbox', 'doc', personId);
}

/** HIST-8: drops the device's copy of a person's inbox document (released first); the row stays. */
export async function dropInboxCopy(personId: string): Promise<void> {
  await db.table('$inbox.doc_updates').where('k').equals(personId).delete();
}

export async function ensureInboxRow(personId: string): Promise<void> {
  await db.transaction('rw', db.inbox, async () => {
    if (!(await db.inbox.get(personId))) await db.inbox.add({ id: personId } as InboxRow);
  });
}
