/**
 * Statistics at the report's scale (STATS-8, STATS-10): a generated history of BENCH_STATS_GROUPS groups (default
 * 120,000 over six months) in a fresh projection, its rollups rebuilt (timed), then the dashboard's queries (figures
 * + daily trend + unit ranking) for the last 30 days and for the whole six months, as a city reader and as a
 * sub-bureau leader: p95 of BENCH_STATS_RUNS runs beside the 300 ms target, beside the same store reading day
 * rollups only (no four-week blocks) and the per-group rows alone (no rollups), in the same run, and beside a
 * same-run floor (one covering-index count over the same invitations, what any scan costs on this machine now).
 * Rebuild: BENCH_STATS_DOCS real documents rebuilt from the store, beside loading the same documents without
 * projecting them; the time per group is extrapolated to the history's size. The same rows and queries on
 * PostgreSQL when one answers (statsPg.ts). Run alone with `npx tsx tests/bench/stats.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DirectoryService } from '../../sync-server/src/directory/directoryService.ts';
import { readDirectoryFile, seedDirectory } from '../../sync-server/src/directory/demoDirectory.ts';
import { loadTemplates } from '../../sync-server/src/directory/templates.ts';
import { silentLogger } from '../../sync-server/src/log.ts';
import { generateHistory } from '../../sync-server/src/stats/history.ts';
import { writeHistoryDocs } from '../../sync-server/src/stats/historyDocs.ts';
import { loadStoredDoc, rebuildStats } from '../../sync-server/src/stats/projector.ts';
import { openSqliteStatsStore } from '../../sync-server/src/stats/sqliteStatsStore.ts';
import type { ProjectedGroup, StatsQuery, StatsStore } from '../../sync-server/src/stats/statsStore.ts';
import { openSqliteStore } from '../../sync-server/src/store/sqliteStore.ts';
import { groupDocName } from '@muster/protocol';
import { envInt, fmt, percentile, table } from './lib/stats.ts';
import { runPgStatsBench } from './statsPg.ts';
import type { PgStatsBench } from './statsPg.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

const DAY = 86_400_000;
const TARGET_MS = 300;

export interface StatsBench {
  groups: number;
  participantTimes: number;
  generateSeconds: number;
  rollupRebuildSeconds: number;
  queries: { name: string; p95: number; median: number; daysP95: number; rawP95: number; floorP95: number }[];
  pg: PgStatsBench;
  rebuild: { docs: number; msPerGroup: number; loadMsPerGroup: number; projected120k: number };
  rows: SummaryRow[];
}

export async function runStatsBench(): Promise<StatsBench> {
  const groups = envInt('BENCH_STATS_GROUPS', 120_000, 100);
  const runs = envInt('BENCH_STATS_RUNS', 15, 3);
  const docs = envInt('BENCH_STATS_DOCS', 500, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-stats-'));
  const store = openSqliteStore(dir);
  const stats = openSqliteStatsStore(dir);
  let raw: ReturnType<typeof openSqliteStatsStore> | undefined;
  let days: ReturnType<typeof openSqliteStatsStore> | undefined;
  try {
    await seedDirectory(store, readDirectoryFile(), silentLogger);
    const directory = new DirectoryService(store);
    const d = await directory.reload();
    const templates = loadTemplates(d);
    const end = 1_900_000_000_000;
    const t0 = performance.now();
    const history = generateHistory(d, templates, { groups, days: 183, end, seed: 7 });
    let batch: ProjectedGroup[] = [];
    let participantTimes = 0;
    for (const g of history.groups) {
      participantTimes += g.facts.participants.length;
      batch.push(g);
      if (batch.length === 5000) {
        await stats.putGroups(batch, { bulk: true });
        batch = [];
      }
    }
    await stats.putGroups(batch, { bulk: true });
    await stats.addDuty(history.duty);
    const generateSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await stats.rebuildRollups();
    const rollupRebuildSeconds = (performance.now() - t1) / 1000;
    raw = openSqliteStatsStore(dir, { rollups: false });
    days = openSqliteStatsStore(dir, { rollups: 'days' });

    const east = ['sb-e', ...d.descendantsOf('sb-e').map((u) => u.id)];
    const cases: { name: string; q: StatsQuery }[] = [
      { name: 'city, last 30 days', q: { from: end - 30 * DAY, to: end, now: end, unitIds: null } },
      { name: 'city, six months', q: { from: end - 183 * DAY, to: end, now: end, unitIds: null } },
      { name: 'sub-bureau, last 30 days', q: { from: end - 30 * DAY, to: end, now: end, unitIds: east } },
    ];
    const floor = stats.db.prepare(
      'SELECT count(*) AS n FROM stats_invitations WHERE g_started_at >= ? AND g_started_at < ?',
    );
    const queries: StatsBench['queries'] = [];
    const dashboard = async (s: StatsStore, q: StatsQuery): Promise<number> => {
      const t = performance.now();
      await Promise.all([s.figures(q), s.trend(q, 'day', 480), s.ranking(q, 'unit')]);
      return performance.now() - t;
    };
    for (const c of cases) {
      const samples: number[] = [];
      const raws: number[] = [];
      const daysOnly: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < runs; i++) {
        samples.push(await dashboard(stats, c.q));
        raws.push(await dashboard(raw, c.q));
        daysOnly.push(await dashboard(days, c.q));
        const f = performance.now();
        floor.get(c.q.from, c.q.to);
        floors.push(performance.now() - f);
      }
      queries.push({
        name: c.name,
        p95: percentile(samples, 95),
        median: percentile(samples, 50),
        daysP95: percentile(daysOnly, 95),
        rawP95: percentile(raws, 95),
        floorP95: percentile(floors, 95),
      });
    }

    // The same rows and queries on PostgreSQL, beside the SQLite figures of this run.
    const pg = await runPgStatsBench(stats.db, cases, runs, dashboard);

    await writeHistoryDocs(store, d, templates, { count: docs, end, seed: 7, initiatorId: 'demo015' });
    const l0 = performance.now();
    for (const g of await store.listGroups()) (await loadStoredDoc(store, groupDocName(g.id))).destroy();
    const loadMs = performance.now() - l0;
    const r0 = performance.now();
    const timings = { rollupMs: 0 };
    const n = await rebuildStats({ stats, store, directory: () => d, log: silentLogger }, 500, timings);
    // The rebuild ends with one rebuild of the rollups over every row (the history's too): a fixed cost, not a cost
    // per document.
    const rollupMs = timings.rollupMs;
    const rebuildMs = performance.now() - r0 - rollupMs;
    const rebuild = {
      docs: n,
      msPerGroup: rebuildMs / n,
      loadMsPerGroup: loadMs / n,
      projected120k: ((rebuildMs / n) * 120_000 + rollupMs) / 1000,
    };
    const rows = [
      ...queries.flatMap((q) => [
        row('stats', `dashboard p95, ${q.name}`, 'ms', q.p95, TARGET_MS, 'target'),
        row('stats', `dashboard p95, ${q.name}`, 'ms', q.p95, q.daysP95, 'day rollups only, no blocks'),
        row('stats', `dashboard p95, ${q.name}`, 'ms', q.p95, q.rawP95, 'per-group rows, no rollups'),
        row('stats', `dashboard p95, ${q.name}`, 'ms', q.p95, q.floorP95, 'count(*) of the same rows'),
      ]),
      ...pg.queries.flatMap((q) => {
        const sqlite = queries.find((x) => x.name === q.name)!;
        return [
          row('stats', `PostgreSQL dashboard p95, ${q.name}`, 'ms', q.p95, sqlite.p95, 'SQLite store, same run'),
          row('stats', `PostgreSQL dashboard p95, ${q.name}`, 'ms', q.p95, q.floorP95, 'count(*) of the same rows'),
        ];
      }),
      row('stats', `rollups of ${groups} groups rebuilt`, 's', rollupRebuildSeconds, null, ''),
      row('stats', `rebuild per group (${n} docs)`, 'ms', rebuild.msPerGroup, rebuild.loadMsPerGroup, 'loading only'),
      row('stats', `history of ${groups} groups written`, 's', generateSeconds, null, ''),
    ];
    return { groups, participantTimes, generateSeconds, rollupRebuildSeconds, queries, pg, rebuild, rows };
  } finally {
    await raw?.close();
    await days?.close();
    await stats.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printStats(b: StatsBench): void {
  console.log(
    `history: ${b.groups} groups, ${b.participantTimes} participant-times, written in ${fmt(b.generateSeconds, 1)} s, ` +
      `rollups (days and four-week blocks) rebuilt in ${fmt(b.rollupRebuildSeconds, 1)} s`,
  );
  console.log(
    table([
      [
        'dashboard (figures + trend + ranking)',
        'p95 ms',
        'median ms',
        'days only p95 ms',
        'no rollups p95 ms',
        'floor p95 ms',
        'target ms',
      ],
      ...b.queries.map((q) => [
        q.name,
        fmt(q.p95, 0),
        fmt(q.median, 0),
        fmt(q.daysP95, 0),
        fmt(q.rawP95, 0),
        fmt(q.floorP95, 0),
        String(TARGET_MS),
      ]),
    ]),
  );
  if (b.pg.skipped) console.log(`PostgreSQL: skipped (${b.pg.skipped})`);
  else {
    console.log(
      `PostgreSQL: the same rows copied in ${fmt(b.pg.copySeconds, 1)} s, rollups rebuilt in ` +
        `${fmt(b.pg.rollupRebuildSeconds, 1)} s`,
    );
    console.log(
      table([
        ['PostgreSQL dashboard', 'p95 ms', 'median ms', 'SQLite p95 ms', 'floor p95 ms', 'target ms'],
        ...b.pg.queries.map((q) => [
          q.name,
          fmt(q.p95, 0),
          fmt(q.median, 0),
          fmt(b.queries.find((x) => x.name === q.name)?.p95, 0),
          fmt(q.floorP95, 0),
          String(TARGET_MS),
        ]),
      ]),
    );
  }
  console.log(
    `rebuild: ${b.rebuild.docs} documents, ${fmt(b.rebuild.msPerGroup, 2)} ms per group (loading alone ` +
      `${fmt(b.rebuild.loadMsPerGroup, 2)} ms) plus the rollups once; 120,000 groups ≈ ` +
      `${fmt(b.rebuild.projected120k, 0)} s`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printStats(await runStatsBench());
}
