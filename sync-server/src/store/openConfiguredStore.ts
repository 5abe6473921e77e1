/** SCALE-1: the store the configuration names; PostgreSQL is connected and migrated before the server starts. */
import type { Config } from '../config.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { openPgStore } from './pgStore.ts';
import type { FenceToken } from './pgStore.ts';
import { openSqliteStore } from './sqliteStore.ts';
import type { Store } from './store.ts';

export async function openConfiguredStore(
  config: Config,
  log: Logger,
  fence: ((docName: string) => FenceToken | null) | null,
): Promise<Store> {
  if (config.store.kind === 'sqlite') return openSqliteStore(config.dataDir);
  const pgLog = log.child({ part: 'pg' });
  const store = openPgStore({
    url: config.store.url,
    schema: config.store.schema,
    // An operator (and a test) tells the nodes' connections apart in pg_stat_activity.
    applicationName: config.cluster ? `muster-${config.cluster.nodeId}` : 'muster',
    ...(fence ? { fence } : {}),
    onError: (error) => pgLog.warn('postgresql connection lost', { error: error.message }),
  });
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    throw new Error(`PostgreSQL (MUSTER_PG_URL) could not be opened: ${errorText(error)}`);
  }
  return store;
}
