/**
 * `npm run bench`: the relay fan-out and durable-ack benchmark, then the open-group benchmark, then the budgets
 * (initial JavaScript, offline cold start to the group list), …, then the history part (the group list at 2,000 and
 * 120,000 groups, history/index.ts), then one summary table (also written to
 * tests/bench/results/latest.json, which git ignores). Not part of `npm test`: figures are printed beside a
 * baseline measured in the same run (or the budget), never asserted. See relay.ts, open-group/index.ts and
 * budgets.ts for the knobs (BENCH_CONNECTIONS, BENCH_GROUPS, BENCH_RATE, BENCH_SECONDS, BENCH_COLD_GROUPS, …).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { printRelay, runRelayBench } from './relay.ts';
import { printOpenGroup, runOpenGroupBench } from './open-group/index.ts';
import { printBudgets, runBudgetsBench } from './budgets.ts';
import { printStats, runStatsBench } from './stats.ts';
import { printCluster, runClusterBench } from './cluster.ts';
import { printAssistant, runAssistantBench } from './assistant.ts';
import { printGroupSize, runGroupSizeBench } from './group-size.ts';
import { printHistory, runHistoryBench } from './history/index.ts';
import { printInboxArchive, runInboxArchiveBench } from './inbox-archive.ts';
import { rounded } from './lib/stats.ts';
import { summaryTable } from './lib/summary.ts';

const started = new Date();
const t0 = performance.now();
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', loadavg: loadavg(), node: process.version };
console.log(
  `Muster bench — ${started.toISOString()} — ${machine.cpus} CPUs (${machine.cpuModel}), ` +
    `load average ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}, node ${machine.node}`,
);

console.log('\n[1/9] relay fan-out and durable acks');
const relay = await runRelayBench();
printRelay(relay);

console.log('\n[2/9] open a group from IndexedDB in Chromium');
const openGroup = await runOpenGroupBench();
printOpenGroup(openGroup);

console.log('\n[3/9] budgets: initial JavaScript, offline cold start to the group list');
const budgets = await runBudgetsBench();
printBudgets(budgets);

console.log('\n[4/9] statistics at the scale of the report: dashboard queries and rebuild');
const stats = await runStatsBench();
printStats(stats);

console.log('\n[5/9] several relay nodes: one node vs two at the same load, ownership move after kill -9');
const cluster = await runClusterBench();
printCluster(cluster);

console.log('\n[6/9] look-up assistant: parser accuracy per intent, look-up latency over the million-row source');
const assistant = await runAssistantBench();
printAssistant(assistant);

console.log('\n[7/9] per-update cost against group size; relay memory per entry and per connection');
const groupSize = await runGroupSizeBench();
printGroupSize(groupSize);

console.log('\n[8/9] a year of history: the group list at 2,000 and 120,000 groups (index pages, deltas, old scan)');
const history = await runHistoryBench();
printHistory(history);

console.log("\n[9/9] a leader's live inbox at 2,000 and 20,000 groups, before and after archiving (HIST-8)");
const inboxArchive = await runInboxArchiveBench();
printInboxArchive(inboxArchive);

const rows = [
  ...relay.rows,
  ...openGroup.rows,
  ...budgets.rows,
  ...stats.rows,
  ...cluster.rows,
  ...assistant.rows,
  ...groupSize.rows,
  ...history.rows,
  ...inboxArchive.rows,
];
const seconds = (performance.now() - t0) / 1000;
const what = 'value = Muster / y-dexie / the app; baseline measured in the same run, or the budget';
console.log(`\nSummary (${what}; ${seconds.toFixed(0)} s)`);
console.log(summaryTable(rows));
if (relay.musterSkipped) console.log(relay.musterSkipped);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
// Formatted as the repository's Prettier would, so `prettier --check .` stays clean if the file is present.
const json = JSON.stringify(
  rounded({
    started: started.toISOString(),
    seconds,
    machine,
    summary: rows,
    relay,
    openGroup,
    budgets,
    stats,
    cluster,
    assistant,
    groupSize,
    history,
  }),
);
writeFileSync(out, await format(json, { ...(await resolveConfig(out)), filepath: out }));
console.log(`\nwritten ${out}`);
process.exit(0);
