import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStatsStore } from './sqliteStatsStore.ts';
import { statsStoreContract } from './statsStoreContract.ts';

statsStoreContract('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-stats-contract-'));
  return {
    open: () => openSqliteStatsStore(dir),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

statsStoreContract('sqlite without rollups', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-stats-contract-'));
  return {
    open: () => openSqliteStatsStore(dir, { rollups: false }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

statsStoreContract('sqlite with day rollups only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-stats-contract-'));
  return {
    open: () => openSqliteStatsStore(dir, { rollups: 'days' }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
