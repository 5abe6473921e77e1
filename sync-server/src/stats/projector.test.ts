import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { readDirectoryFile } from '../directory/demoDirectory.ts';
import { loadTemplates } from '../directory/templates.ts';
import { silentLogger } from '../log.ts';
import { groupSummaryOf } from '../relay/groupIndex.ts';
import { MemoryStore } from '../store/memoryStore.ts';
import type { Store } from '../store/store.ts';
import { writeHistoryDocs } from './historyDocs.ts';
import { StatsProjector, loadStoredDoc, rebuildStats } from './projector.ts';
import { openSqliteStatsStore } from './sqliteStatsStore.ts';
import type { StatsStore } from './statsStore.ts';

const END = 1_900_000_000_000;

/** The largest piece of the backlog the projector held at once, seen at the store and statistics interfaces. */
interface Held {
  listedAll: number;
  page: number;
  versionsAsked: number;
  rowsWritten: number;
  loads: number;
}

function watched(store: Store, stats: StatsStore, held: Held): { store: Store; stats: StatsStore } {
  const s = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'listGroups') held.listedAll++;
      if (prop === 'listGroupPage') {
        return async (q: Parameters<Store['listGroupPage']>[0]) => {
          const page = await target.listGroupPage(q);
          held.page = Math.max(held.page, page.length);
          return page;
        };
      }
      if (prop === 'loadDoc') held.loads++;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const t = new Proxy(stats, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'projectedVersions') {
        return (ids: readonly string[]) => {
          held.versionsAsked = Math.max(held.versionsAsked, ids.length);
          return target.projectedVersions(ids);
        };
      }
      if (prop === 'putGroups') {
        return (rows: Parameters<StatsStore['putGroups']>[0], o?: Parameters<StatsStore['putGroups']>[1]) => {
          held.rowsWritten = Math.max(held.rowsWritten, rows.length);
          return target.putGroups(rows, o);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: s, stats: t };
}

describe('statistics catch-up at start-up', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const statsDir = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-projector-'));
    dirs.push(d);
    return d;
  };

  it('STATS-12: projects a backlog in pages of `batch` (never the whole list of groups at once), only what is behind, equal to a rebuild', async () => {
    const directory = new Directory(readDirectoryFile());
    const store = new MemoryStore();
    const ids = await writeHistoryDocs(store, directory, loadTemplates(directory), {
      count: 57,
      end: END,
      seed: 5,
      initiatorId: 'demo015',
    });
    const stats = openSqliteStatsStore(statsDir());
    const held: Held = { listedAll: 0, page: 0, versionsAsked: 0, rowsWritten: 0, loads: 0 };
    const w = watched(store, stats, held);
    const projector = new StatsProjector({
      stats: w.stats,
      store: w.store,
      directory: () => directory,
      log: silentLogger,
    });

    expect(await projector.catchUp(10)).toBe(57);
    await projector.idle();
    expect(held).toEqual({ listedAll: 0, page: 10, versionsAsked: 10, rowsWritten: 10, loads: 57 });

    // Nothing behind: nothing loaded. Then three groups change in the store: only they are projected again.
    held.loads = 0;
    expect(await projector.catchUp(10)).toBe(0);
    expect(held.loads).toBe(0);
    // (closed groups: their row is stored again later, as after a late record, LATE-2)
    for (const id of [ids[3]!, ids[30]!, ids[56]!]) {
      const doc = await loadStoredDoc(store, groupDocName(id));
      await store.appendUpdates([
        { docName: groupDocName(id), updates: [], group: groupSummaryOf(doc, id, END + 1000) },
      ]);
      doc.destroy();
    }
    expect(await projector.catchUp(10)).toBe(3);
    expect(held.loads).toBe(3);
    await projector.idle();

    // The caught-up projection is the rebuilt one.
    const incremental = await stats.dump();
    const rebuilt = openSqliteStatsStore(statsDir());
    expect(await rebuildStats({ stats: rebuilt, store, directory: () => directory, log: silentLogger }, 10)).toBe(57);
    expect(await rebuilt.dump()).toEqual(incremental);
    await rebuilt.close();
    await stats.close();
  }, 120_000);
});
