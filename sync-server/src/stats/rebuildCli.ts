/**
 * `npm run stats:rebuild` (STATS-2): rebuilds the statistics projection (MUSTER_DATA_DIR/stats.sqlite, or its
 * tables in PostgreSQL with MUSTER_STORE=pg) from every stored group document. Stop the server first. Rows written by `npm run demo:history` (no document behind them)
 * stay; duty intervals follow the audit log and are caught up, not rebuilt.
 */
import { loadConfig } from '../config.ts';
import { DirectoryService } from '../directory/directoryService.ts';
import { createLogger } from '../log.ts';
import { openPgStore } from '../store/pgStore.ts';
import { openSqliteStore } from '../store/sqliteStore.ts';
import { openPgStatsStore } from './pgStatsStore.ts';
import { StatsProjector, rebuildStats } from './projector.ts';
import { openSqliteStatsStore } from './sqliteStatsStore.ts';

const config = loadConfig(process.env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });
const pg = config.store.kind === 'pg' ? config.store : null;
const store = pg ? openPgStore({ url: pg.url, schema: pg.schema }) : openSqliteStore(config.dataDir);
const stats = pg ? openPgStatsStore({ url: pg.url, schema: pg.schema, max: 4 }) : openSqliteStatsStore(config.dataDir);
try {
  const directory = new DirectoryService(store);
  await directory.reload();
  const started = performance.now();
  const o = { stats, store, directory: () => directory.current, log };
  const groups = await rebuildStats(o);
  await new StatsProjector(o).syncDuty();
  log.info('statistics rebuilt', { dataDir: config.dataDir, groups, ms: Math.round(performance.now() - started) });
} finally {
  await stats.close();
  await store.close();
}
