/**
 * SCALE-6: moves an embedded SQLite data dir into PostgreSQL, then verifies the move: every table's row count,
 * every document's stored rows byte for byte (snapshot, sequence numbers, each update) and its state rebuilt
 * through the PostgreSQL store, and the audit hash chain read back from PostgreSQL (same rows, same last hash).
 * The copy is one transaction: all or nothing. It refuses a target that already holds documents, persons or audit
 * rows. Rows keep their columns as stored (audit rows keep their hashes; nothing is re-chained).
 */
import Database from 'better-sqlite3';
import type pg from 'pg';
import * as Y from 'yjs';
import { verifyChain } from '../audit/chain.ts';
import { movePhotosToPg } from '../photos/movePhotos.ts';
import type { PhotoMove } from '../photos/movePhotos.ts';
import type { ChainVerdict, StoredChainRow } from '../audit/chain.ts';
import { inTransaction } from './pg/pool.ts';
import { openPgStore } from './pgStore.ts';
import type { PgStore } from './pgStore.ts';
import { openSqliteStore } from './sqliteStore.ts';

/** Tables moved, in this order. */
export const MOVED_TABLES = [
  'docs',
  'updates',
  'groups',
  'units',
  'posts',
  'persons',
  'on_duty',
  'deadlines',
  'group_access',
  'audit',
  'sessions',
  'group_members',
  // HIST-1: the list index's keys (with HIST-9 removals); the versions go on from the highest moved (below)
  'group_keys',
  'login_throttle',
  'inbox_archive',
] as const;

export interface MoveReport {
  tables: Record<string, number>;
  documents: number;
  /** PHOTO-6: photo files moved into PostgreSQL, and their links to groups. */
  photos: PhotoMove;
  audit: ChainVerdict;
  /** SQLite tables this tool does not move (none expected; named so nothing goes unnoticed). */
  notMoved: string[];
}

export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveError';
  }
}

interface AuditDb {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

const chainRow = (r: AuditDb): StoredChainRow => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actor: r.actor,
  action: r.action,
  docName: r.doc_name,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

async function pgColumns(c: pg.ClientBase, table: string): Promise<Set<string>> {
  const r = await c.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  return new Set(r.rows.map((x) => x.column_name));
}

async function copyTable(db: Database.Database, c: pg.ClientBase, table: string): Promise<number> {
  const target = await pgColumns(c, table);
  const source = db
    .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
    .all()
    .map((x) => x.name);
  if (source.length === 0) return 0;
  const missing = source.filter((x) => !target.has(x));
  if (missing.length) throw new MoveError(`${table}: PostgreSQL has no column ${missing.join(', ')}`);
  const cols = source.join(', ');
  let n = 0;
  let batch: unknown[][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const values = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await c.query(`INSERT INTO ${table} (${cols}) VALUES ${values.join(', ')}`, params);
    n += batch.length;
    batch = [];
  };
  for (const row of db.prepare(`SELECT ${cols} FROM ${table}`).raw().iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= 200) await flush();
  }
  await flush();
  return n;
}

const same = (a: Uint8Array | null, b: Uint8Array | null): boolean =>
  a === null || b === null ? a === b : Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

async function verifyDocuments(db: Database.Database, store: PgStore, dataDir: string): Promise<number> {
  const names = db.prepare<[], { name: string }>('SELECT name FROM docs ORDER BY name').all();
  const sqlite = openSqliteStore(dataDir);
  try {
    for (const { name } of names) {
      const [a, b] = await Promise.all([sqlite.loadDoc(name), store.loadDoc(name)]);
      const rowsSame =
        a.lastSeq === b.lastSeq &&
        a.snapshotSeq === b.snapshotSeq &&
        same(a.snapshot, b.snapshot) &&
        a.updates.length === b.updates.length &&
        a.updates.every((u, i) => same(u, b.updates[i]!));
      if (!rowsSame) throw new MoveError(`document ${name}: stored rows differ after the move`);
      const rebuild = (d: typeof a): Uint8Array => {
        const doc = new Y.Doc();
        if (d.snapshot) Y.applyUpdate(doc, d.snapshot);
        for (const u of d.updates) Y.applyUpdate(doc, u);
        const state = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        return state;
      };
      if (!same(rebuild(a), rebuild(b))) throw new MoveError(`document ${name}: state differs after the move`);
    }
  } finally {
    await sqlite.close();
  }
  return names.length;
}

/** Moves `dataDir/muster.sqlite` into the PostgreSQL schema and verifies it; throws MoveError when it cannot. */
export async function moveSqliteToPg(
  dataDir: string,
  sqliteFile: string,
  target: { url: string; schema?: string },
): Promise<MoveReport> {
  // Opening through the store brings an older file up to date first (its own migrations).
  await openSqliteStore(dataDir).close();
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const store = openPgStore({ url: target.url, ...(target.schema ? { schema: target.schema } : {}), max: 2 });
  try {
    await store.ready();
    const tables: Record<string, number> = {};
    await inTransaction(store.pool, async (c) => {
      const r = await c.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM docs) + (SELECT count(*) FROM persons) + (SELECT count(*) FROM audit) AS n',
      );
      if (Number(r.rows[0]!.n) > 0)
        throw new MoveError('the PostgreSQL schema already holds data; move into an empty one');
      // The audit triggers forbid changes, not inserts; the whole copy is one transaction.
      for (const t of MOVED_TABLES) tables[t] = await copyTable(db, c, t);
      // HIST-1: the next list version comes after every moved one (SQLite counts in `list_version`).
      await c.query(
        `SELECT setval('list_version_seq', GREATEST((SELECT COALESCE(max(version), 0) FROM groups),
           (SELECT COALESCE(max(version), 0) FROM group_keys), 1))`,
      );
    });
    for (const t of MOVED_TABLES) {
      const n = Number((await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
      const m = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      if (n !== m) throw new MoveError(`${t}: ${m} rows in SQLite, ${n} in PostgreSQL`);
    }
    const documents = await verifyDocuments(db, store, dataDir);
    const photos = await movePhotosToPg(dataDir, store.pool);
    const before = verifyChain(db.prepare<[], AuditDb>('SELECT * FROM audit ORDER BY seq').all().map(chainRow));
    const after = verifyChain((await store.pool.query<AuditDb>('SELECT * FROM audit ORDER BY seq')).rows.map(chainRow));
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      throw new MoveError(`audit chain differs after the move: ${JSON.stringify(before)} vs ${JSON.stringify(after)}`);
    }
    if (!after.ok) throw new MoveError(`audit chain broken at seq ${after.brokenSeq}: ${after.reason}`);
    const all = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all()
      .map((x) => x.name);
    // `list_version` is SQLite's counter of list versions: PostgreSQL's sequence takes it over (set above).
    const notMoved = all.filter((t) => t !== 'list_version' && !(MOVED_TABLES as readonly string[]).includes(t));
    return { tables, documents, photos, audit: after, notMoved };
  } finally {
    db.close();
    await store.close();
  }
}
