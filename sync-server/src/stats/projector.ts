/**
 * STATS-1/STATS-2: keeps the statistics projection up to date as groups change. A relay extension (after stamping
 * and the workflow) projects a group document each time its updates are committed, and when it is loaded; at
 * start-up every group whose stored version is newer than its projected one is projected again (a crash between
 * the store's commit and the projection's write loses nothing). Facts come from core `statsFacts` only, the same
 * function the rebuild uses, so incremental and rebuilt projections agree.
 * Duty intervals (on-duty rate) follow the audit log's `duty-on` / `duty-off` rows from a cursor.
 */
import * as Y from 'yjs';
import { changedRecords, factsMayChange, statsFacts } from '@muster/core';
import type { Directory, ReadonlyChangedKeys, StatsFacts } from '@muster/core';
import { groupDocName, parseDocName } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { isRemoval } from '../store/store.ts';
import type { Store } from '../store/store.ts';
import type { DutyChange, ProjectedGroup, StatsStore } from './statsStore.ts';

export interface ProjectorOptions {
  stats: StatsStore;
  store: Store;
  directory: () => Directory;
  log: Logger;
}

const DUTY_CURSOR = 'audit-duty';

/** The projected row of a group document, or null when it holds no group record. */
export function projectDoc(doc: Y.Doc, directory: Directory, sourceUpdatedAt: number): ProjectedGroup | null {
  const facts = statsFacts(doc);
  if (!facts) return null;
  return { facts, subBureauId: directory.subBureauOf(facts.unitId)?.id ?? null, sourceUpdatedAt, origin: 'doc' };
}

/** Loads a stored document into a fresh Y.Doc (snapshot, then the log after it). */
export async function loadStoredDoc(store: Store, docName: string): Promise<Y.Doc> {
  const stored = await store.loadDoc(docName);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  return doc;
}

export class StatsProjector {
  readonly #o: ProjectorOptions;
  /** Writes run one after another, in the order the documents changed. */
  #chain: Promise<void> = Promise.resolve();
  #dutyChain: Promise<void> = Promise.resolve();
  readonly #last = new Map<string, string>();
  /** The facts last derived from a loaded document, and the directory they were projected with. */
  readonly #facts = new WeakMap<Y.Doc, { facts: StatsFacts; directory: Directory }>();

  constructor(o: ProjectorOptions) {
    this.#o = o;
  }

  #enqueue(fn: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(fn).catch((error: unknown) => {
      this.#o.log.error('statistics projection failed', { error: errorText(error) });
    });
    return this.#chain;
  }

  /**
   * Projects one group document (skipped when its facts did not change since the last write). PERF-1: with the
   * `changes` of a commit, the facts are not derived again when those changes cannot alter them (core
   * `factsMayChange`) and the directory is the one they were projected with.
   */
  project(doc: Y.Doc, sourceUpdatedAt: number, changes?: ReadonlyChangedKeys): Promise<void> {
    const directory = this.#o.directory();
    const last = this.#facts.get(doc);
    if (changes && last && last.directory === directory && !factsMayChange(doc, last.facts, changedRecords(changes))) {
      return this.#chain;
    }
    const row = projectDoc(doc, directory, sourceUpdatedAt);
    if (!row) return this.#chain;
    this.#facts.set(doc, { facts: row.facts, directory });
    const key = JSON.stringify([row.facts, row.subBureauId]);
    if (this.#last.get(row.facts.groupId) === key) return this.#chain;
    this.#last.set(row.facts.groupId, key);
    return this.#enqueue(() => this.#o.stats.putGroups([row]));
  }

  extension(): Extension {
    return {
      name: 'statistics',
      phase: 'project',
      onLoadDocument: ({ document }) => {
        const ref = parseDocName(document.name);
        if (!ref) return;
        void this.#o.store.getGroup(ref.id).then((g) => this.project(document.doc, g?.updatedAt ?? 0));
      },
      onStoreUpdate: ({ document, serverTime, changes }) => {
        if (parseDocName(document.name)) void this.project(document.doc, serverTime, changes);
      },
      onUnloadDocument: ({ document }) => {
        const ref = parseDocName(document.name);
        if (ref) this.#last.delete(ref.id);
      },
    };
  }

  /**
   * Start-up (STATS-12): projects every stored group whose version is newer than the projected one; resolves to how
   * many. The stored groups are read in pages of `batch` in list-version order, each page's projected versions are
   * asked for that page only, its documents are loaded one at a time and its rows written in one transaction, so
   * memory stays the same however large the backlog (nothing is kept between pages but the cursor).
   */
  async catchUp(batch = 500): Promise<number> {
    const { stats, store } = this.#o;
    let n = 0;
    for (let since = -1; ;) {
      const page = await store.listGroupPage({ keys: null, since, limit: batch });
      if (page.length === 0) break;
      since = page[page.length - 1]!.version ?? since + 1;
      const projected = await stats.projectedVersions(page.map((g) => g.id));
      const directory = this.#o.directory();
      const rows: ProjectedGroup[] = [];
      for (const g of page) {
        if (isRemoval(g)) continue;
        const at = projected.get(g.id);
        if (at !== undefined && at >= g.updatedAt) continue;
        const doc = await loadStoredDoc(store, groupDocName(g.id));
        const row = projectDoc(doc, directory, g.updatedAt);
        doc.destroy();
        n++;
        if (row) rows.push(row);
      }
      // In the write queue, behind any projection of a commit made meanwhile.
      if (rows.length > 0) await this.#enqueue(() => stats.putGroups(rows));
      if (page.length < batch) break;
    }
    await this.syncDuty();
    return n;
  }

  /** Applies the duty changes the audit log holds after the cursor (the first run starts from the directory). */
  syncDuty(): Promise<void> {
    this.#dutyChain = this.#dutyChain
      .then(async () => {
        const { stats, store } = this.#o;
        let cursor = await stats.getCursor(DUTY_CURSOR);
        if (cursor === 0) {
          const d = await store.getDirectory();
          await stats.applyDuty(
            d.onDuty.map((x) => ({ postId: x.postId, personId: x.personId, on: true, at: x.since })),
          );
        }
        for (;;) {
          const rows = await store.listAudit({ afterSeq: cursor, limit: 1000 });
          if (rows.length === 0) break;
          const changes: DutyChange[] = [];
          for (const r of rows) {
            const postId = r.detail?.postId;
            if (
              (r.action === AuditAction.dutyOn || r.action === AuditAction.dutyOff) &&
              r.actor &&
              typeof postId === 'string'
            ) {
              changes.push({ postId, personId: r.actor, on: r.action === AuditAction.dutyOn, at: r.at });
            }
          }
          await stats.applyDuty(changes);
          cursor = rows[rows.length - 1]!.seq;
          await stats.setCursor(DUTY_CURSOR, cursor);
        }
      })
      .catch((error: unknown) => this.#o.log.error('duty projection failed', { error: errorText(error) }));
    return this.#dutyChain;
  }

  /** Resolves once every queued write is done. */
  async idle(): Promise<void> {
    await this.#chain;
    await this.#dutyChain;
  }
}

/**
 * STATS-2: rebuilds the projection of every stored group from its document; resolves to how many. `timings`
 * receives how long the one rebuild of the rollups at the end took (the bench).
 */
export async function rebuildStats(o: ProjectorOptions, batch = 500, timings?: { rollupMs: number }): Promise<number> {
  await o.stats.clearDocGroups();
  const dir = o.directory();
  let n = 0;
  // STATS-12: the stored groups a page at a time, like the start-up catch-up.
  for (let since = -1; ;) {
    const page = await o.store.listGroupPage({ keys: null, since, limit: batch });
    if (page.length === 0) break;
    since = page[page.length - 1]!.version ?? since + 1;
    const rows: ProjectedGroup[] = [];
    for (const g of page) {
      if (isRemoval(g)) continue;
      const doc = await loadStoredDoc(o.store, groupDocName(g.id));
      const row = projectDoc(doc, dir, g.updatedAt);
      doc.destroy();
      if (row) rows.push(row);
    }
    await o.stats.putGroups(rows, { bulk: true });
    n += rows.length;
    if (page.length < batch) break;
  }
  const t = performance.now();
  await o.stats.rebuildRollups();
  if (timings) timings.rollupMs = performance.now() - t;
  return n;
}
