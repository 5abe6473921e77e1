/**
 * `npm run demo:history` (STATS-8): writes a fictional history at the report's scale into the data dir
 * (MUSTER_DATA_DIR): 120,000 groups over six months straight into the statistics projection, with duty intervals
 * of the posts the templates require, plus a few hundred real closed group documents of the last day (drill-down and
 * review open them). Stop the server first. Options: --groups N --days D --seed S --docs N --end <ms>.
 * Running it again with the same seed replaces the same rows.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { readDirectoryFile, seedDirectory } from '../directory/demoDirectory.ts';
import { DirectoryService } from '../directory/directoryService.ts';
import { loadTemplates } from '../directory/templates.ts';
import { createLogger } from '../log.ts';
import { openSqliteStore } from '../store/sqliteStore.ts';
import { generateHistory } from './history.ts';
import { writeHistoryDocs } from './historyDocs.ts';
import { projectDoc, loadStoredDoc } from './projector.ts';
import { openSqliteStatsStore } from './sqliteStatsStore.ts';
import type { ProjectedGroup } from './statsStore.ts';
import { groupDocName } from '@muster/protocol';

const { values } = parseArgs({
  options: {
    groups: { type: 'string', default: '120000' },
    days: { type: 'string', default: '183' },
    seed: { type: 'string', default: '1' },
    docs: { type: 'string', default: '200' },
    end: { type: 'string' },
  },
});
const int = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer ≥ ${min}\n`);
    process.exit(2);
  }
  return n;
};
const groups = int('groups', values.groups, 0);
const days = int('days', values.days, 1);
const seed = int('seed', values.seed, 0);
const docs = int('docs', values.docs, 0);
const end = values.end ? int('end', values.end, 1) : Math.floor(Date.now() / 60_000) * 60_000;

const config = loadConfig(process.env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });
const store = openSqliteStore(config.dataDir);
const stats = openSqliteStatsStore(config.dataDir);
try {
  const t0 = performance.now();
  await seedDirectory(store, readDirectoryFile(), log);
  const directory = new DirectoryService(store);
  const dir = await directory.reload();
  const templates = loadTemplates(dir);
  const history = generateHistory(dir, templates, { groups, days, end, seed });
  let batch: ProjectedGroup[] = [];
  let participantTimes = 0;
  let invitations = 0;
  let late = 0;
  for (const g of history.groups) {
    batch.push(g);
    participantTimes += g.facts.participants.length;
    invitations += g.facts.invitations.length;
    late += g.facts.invitations.filter((i) => i.verdict === 'late').length;
    if (batch.length === 5000) {
      await stats.putGroups(batch, { bulk: true });
      batch = [];
    }
  }
  await stats.putGroups(batch, { bulk: true });
  await stats.rebuildRollups();
  await stats.addDuty(history.duty);
  const ids = await writeHistoryDocs(store, dir, templates, { count: docs, end, seed, initiatorId: 'demo015' });
  const rows: ProjectedGroup[] = [];
  for (const g of (await store.listGroups()).filter((x) => ids.includes(x.id))) {
    const doc = await loadStoredDoc(store, groupDocName(g.id));
    const row = projectDoc(doc, dir, g.updatedAt);
    if (row) rows.push(row);
    doc.destroy();
  }
  await stats.putGroups(rows);
  log.info('demo history written', {
    dataDir: config.dataDir,
    groups,
    participantTimes,
    invitations,
    late,
    documents: ids.length,
    dutyIntervals: history.duty.length,
    from: new Date(end - days * 86_400_000).toISOString(),
    to: new Date(end).toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  });
} finally {
  await stats.close();
  await store.close();
}
