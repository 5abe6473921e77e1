/**
 * The statistics bench on PostgreSQL (SCALE-1, STATS-10): the per-group rows and duty intervals of the SQLite
 * projection just measured are copied into a PgStatsStore on a schema of its own (MUSTER_BENCH_PG_URL, else the
 * tests' server; dropped afterwards), its rollups rebuilt (timed), then the same dashboard queries: p95 beside the
 * SQLite store's p95 of the same run and beside a same-run floor (one count(*) over the same invitations in
 * PostgreSQL). Skipped, with the reason printed, when no PostgreSQL answers.
 */
import type Database from 'better-sqlite3';
import { probeServer } from '../../sync-server/src/store/pg/pool.ts';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../../sync-server/src/store/pg/testSchema.ts';
import { openPgStatsStore } from '../../sync-server/src/stats/pgStatsStore.ts';
import type { StatsQuery, StatsStore } from '../../sync-server/src/stats/statsStore.ts';
import { percentile } from './lib/stats.ts';

export interface PgStatsBench {
  skipped: string | null;
  copySeconds: number;
  rollupRebuildSeconds: number;
  queries: { name: string; p95: number; median: number; floorP95: number }[];
}

const TABLES = ['stats_groups', 'stats_invitations', 'stats_participants', 'stats_duty'];

/** Copies every row of the per-group tables and the duty intervals, in multi-row inserts. */
async function copyRows(from: Database.Database, to: import('pg').Pool): Promise<void> {
  for (const table of TABLES) {
    const cols = (from.prepare(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).pluck().all() as string[])
      .map((c) => `"${c}"`)
      .join(', ');
    const width = cols.split(',').length;
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch.length / width;
      const values = Array.from(
        { length: rows },
        (_, r) => `(${Array.from({ length: width }, (_c, c) => `$${r * width + c + 1}`).join(', ')})`,
      );
      await to.query(`INSERT INTO ${table} (${cols}) VALUES ${values.join(', ')}`, batch);
      batch = [];
    };
    for (const r of from.prepare(`SELECT * FROM ${table}`).raw().iterate() as Iterable<unknown[]>) {
      batch.push(...r);
      if (batch.length >= 1000 * width) await flush();
    }
    await flush();
  }
}

export async function runPgStatsBench(
  sqlite: Database.Database,
  cases: readonly { name: string; q: StatsQuery }[],
  runs: number,
  dashboard: (s: StatsStore, q: StatsQuery) => Promise<number>,
): Promise<PgStatsBench> {
  const url = process.env['MUSTER_BENCH_PG_URL'] ?? TEST_PG_URL;
  const none = { copySeconds: 0, rollupRebuildSeconds: 0, queries: [] };
  if (!(await probeServer({ url }, 5000))) return { skipped: `no PostgreSQL answers at ${url}`, ...none };
  const schema = uniqueSchema('bench_stats');
  const pg = openPgStatsStore({ url, schema, max: 4 });
  try {
    const t0 = performance.now();
    await pg.getCursor('ready');
    await copyRows(sqlite, pg.pool);
    await pg.pool.query('ANALYZE');
    const copySeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await pg.rebuildRollups();
    await pg.pool.query('ANALYZE');
    const rollupRebuildSeconds = (performance.now() - t1) / 1000;
    const queries: PgStatsBench['queries'] = [];
    for (const c of cases) {
      const samples: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < runs; i++) {
        samples.push(await dashboard(pg, c.q));
        const f = performance.now();
        await pg.pool.query('SELECT count(*) FROM stats_invitations WHERE g_started_at >= $1 AND g_started_at < $2', [
          c.q.from,
          c.q.to,
        ]);
        floors.push(performance.now() - f);
      }
      queries.push({
        name: c.name,
        p95: percentile(samples, 95),
        median: percentile(samples, 50),
        floorP95: percentile(floors, 95),
      });
    }
    return { skipped: null, copySeconds, rollupRebuildSeconds, queries };
  } finally {
    await pg.close();
    await dropSchema(schema, url);
  }
}
