import { TEST_PG_URL, dropSchema, uniqueSchema } from '../store/pg/testSchema.ts';
import { openPgStatsStore } from './pgStatsStore.ts';
import { statsStoreContract } from './statsStoreContract.ts';

// SCALE-1: the same contract as the SQLite projection, on a schema of its own dropped afterwards (never skipped).
statsStoreContract('postgresql', () => {
  const schema = uniqueSchema('stats');
  return {
    open: () => openPgStatsStore({ url: TEST_PG_URL, schema, max: 4 }),
    cleanup: () => dropSchema(schema),
  };
});
