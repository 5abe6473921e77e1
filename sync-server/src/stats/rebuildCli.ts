/**
 * `npm run stats:rebuild` (STATS-2): rebuilds the statistics projection (MUSTER_DATA_DIR/stats.sqlite) from every
 * stored group document. Stop the server first. Rows written by `npm run demo:history` (no document behind them)
 * stay; duty intervals follow the audit log and are caught up, not rebuilt.
 */
import { loadConfig } from '../config.ts';
import { DirectoryService } from '../directory/directoryService.ts';
import { createLogger } from '../log.ts';
import { openSqliteStore } from '../store/sqliteStore.ts';
import { StatsProjector, rebuildStats } from './projector.ts';
import { openSqliteStatsStore } from './sqliteStatsStore.ts';

const config = loadConfig(process.env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });
const store = openSqliteStore(config.dataDir);
const stats = openSqliteStatsStore(config.dataDir);
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
