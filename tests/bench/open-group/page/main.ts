/**
 * Browser side of the open-group benchmark, built by Vite and driven by playwright. Exposes `window.bench`:
 * `write` stores one group of N findings through y-dexie or y-indexeddb, incrementally in batches (one stored
 * update per batch, as the app stores local edits and synced messages); `open` loads it into a fresh Y.Doc and
 * derives the timeline, timing each step. Each `open` runs in a freshly reloaded page.
 */
import Dexie from 'dexie';
import type { Table } from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { addFinding, startGroup, timeline } from '@muster/core';
import type { Actor } from '@muster/core';

export type Kind = 'y-dexie' | 'y-indexeddb';

export interface WriteResult {
  kind: Kind;
  entries: number;
  /** Update rows in the store after writing. */
  storedUpdates: number;
  ms: number;
}

export interface OpenResult {
  kind: Kind;
  /** From nothing to the Y.Doc holding everything (includes opening the database). */
  loadMs: number;
  /** `timeline(doc)` on the loaded document. */
  timelineMs: number;
  totalMs: number;
  entries: number;
}

export interface Bench {
  write: (kind: Kind, entries: number, batch: number) => Promise<WriteResult>;
  open: (kind: Kind) => Promise<OpenResult>;
}

const GROUP_ID = 'bench-open-group';
const DEXIE_DB = 'muster-bench-dexie';
const author: Actor = { personId: 'p-bench', name: 'Bench Officer (fictional)' };

interface GroupRow {
  id: string;
  title: string;
  doc: Y.Doc;
}

type BenchDb = Dexie & { groups: Table<GroupRow, string> };

function openDexie(): BenchDb {
  // Periodic compression off: the store keeps the incremental updates as written (otherwise y-dexie would
  // merge them 10 s after the database opens, and later opens would read one snapshot instead).
  const db = new Dexie(DEXIE_DB, { addons: [yDexie({ gc: false }) as (db: Dexie) => void] }) as BenchDb;
  db.version(1).stores({ groups: 'id, title, doc: Y.Doc' });
  return db;
}

function updatesTableOf(db: Dexie): string {
  const props = (db.table('groups').schema as unknown as { yProps?: { prop: string; updatesTable: string }[] }).yProps;
  const name = props?.find((p) => p.prop === 'doc')?.updatesTable;
  if (!name) throw new Error('y-dexie updates table not found');
  return name;
}

function countIdb(dbName: string, store: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const count = db.transaction(store, 'readonly').objectStore(store).count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => reject(count.error);
    };
  });
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function fill(doc: Y.Doc, entries: number, batch: number): Promise<void> {
  startGroup(doc, {
    id: GROUP_ID,
    kind: 'incident',
    title: 'Bench: open a group of many findings',
    unitId: 'u-bench',
    initiator: author,
    deviceTime: Date.now(),
  });
  await tick();
  const start = Date.now() - entries * 1000;
  for (let i = 0; i < entries; i += batch) {
    doc.transact(() => {
      for (let j = i; j < Math.min(entries, i + batch); j++) {
        addFinding(doc, {
          id: `e${String(j).padStart(5, '0')}`,
          text: `Finding ${j}: suspect vehicle seen heading north on the ring road, plate partially read.`,
          author,
          deviceTime: start + j * 1000,
        });
      }
    });
    await tick();
  }
}

async function waitForCount(get: () => Promise<number>, atLeast: number): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const n = await get();
    if (n >= atLeast) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`store did not reach ${atLeast} updates`);
}

async function write(kind: Kind, entries: number, batch: number): Promise<WriteResult> {
  const t0 = performance.now();
  const expected = 1 + Math.ceil(entries / batch);
  let stored: number;
  if (kind === 'y-dexie') {
    const db = openDexie();
    await db.groups.put({ id: GROUP_ID, title: 'bench' } as GroupRow);
    const row = await db.groups.get(GROUP_ID);
    if (!row) throw new Error('group row missing');
    const doc = row.doc;
    const provider = DexieYProvider.load(doc);
    await provider.whenLoaded;
    await fill(doc, entries, batch);
    const table = updatesTableOf(db);
    stored = await waitForCount(() => db.table(table).count(), expected);
    DexieYProvider.release(doc);
    db.close();
  } else {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(GROUP_ID, doc);
    await persistence.whenSynced;
    await fill(doc, entries, batch);
    stored = await waitForCount(() => countIdb(GROUP_ID, 'updates'), expected);
    await persistence.destroy();
    doc.destroy();
  }
  return { kind, entries, storedUpdates: stored, ms: performance.now() - t0 };
}

async function open(kind: Kind): Promise<OpenResult> {
  const t0 = performance.now();
  let doc: Y.Doc;
  if (kind === 'y-dexie') {
    const db = openDexie();
    const row = await db.groups.get(GROUP_ID);
    if (!row) throw new Error('group row missing');
    doc = row.doc;
    await DexieYProvider.load(doc).whenLoaded;
  } else {
    doc = new Y.Doc();
    await new IndexeddbPersistence(GROUP_ID, doc).whenSynced;
  }
  const t1 = performance.now();
  const items = timeline(doc);
  const t2 = performance.now();
  return { kind, loadMs: t1 - t0, timelineMs: t2 - t1, totalMs: t2 - t0, entries: items.length };
}

(window as unknown as { bench: Bench }).bench = { write, open };
