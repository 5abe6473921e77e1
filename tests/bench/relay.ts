/**
 * Relay benchmark: fan-out (N clients over M groups at a fixed total update rate) and durable-ack latency, for
 * the reference @y/websocket-server 0.1.1 and Muster's relay with persistence on, same load, same run. The
 * relays run as child processes; this process is the load generator. Figures are printed, never asserted.
 *
 *   tsx tests/bench/relay.ts
 *   BENCH_CONNECTIONS=2000 BENCH_GROUPS=500 BENCH_RATE=1000 BENCH_SECONDS=30 tsx tests/bench/relay.ts
 *
 * Knobs: BENCH_CONNECTIONS (1000), BENCH_GROUPS (250), BENCH_RATE updates/s in total (500), BENCH_SECONDS
 * measured (15), BENCH_WARMUP seconds (3), BENCH_ROUNDS (3; rounds alternate the order of the relays and the
 * summary takes medians), BENCH_IDLE_UPDATES (100), BENCH_TOKENS demo logins to spread over connections (4),
 * BENCH_MUSTER_LOG_LEVEL (info).
 */
import { pathToFileURL } from 'node:url';
import { runFanout, runIdle } from './relay/load.ts';
import type { FanoutOptions, FanoutResult, IdleResult } from './relay/load.ts';
import { MUSTER_MAIN, musterAvailable, startMuster, startReference } from './relay/targets.ts';
import type { Target } from './relay/targets.ts';
import { envInt, fmt, median } from './lib/stats.ts';
import { probeFsync } from './lib/fsyncProbe.ts';
import type { FsyncProbe } from './lib/fsyncProbe.ts';
import { row, summaryTable } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

interface Measured {
  fanout: FanoutResult;
  idle: IdleResult;
  /** fsync latency of the data disk just before the idle run (relays that acknowledge durably only). */
  fsync: FsyncProbe | null;
}

export interface RelayRound {
  reference: Measured;
  muster: Measured | null;
}

export interface RelayBenchResult {
  options: FanoutOptions & { rounds: number; idleUpdates: number };
  rounds: RelayRound[];
  /** Why Muster's relay was not measured, if it was not. */
  musterSkipped: string | null;
  rows: SummaryRow[];
}

export function relayOptions(): FanoutOptions & { rounds: number; idleUpdates: number } {
  return {
    connections: envInt('BENCH_CONNECTIONS', 1000, 2, 50_000),
    groups: envInt('BENCH_GROUPS', 250, 1, 50_000),
    rate: envInt('BENCH_RATE', 500, 1, 100_000),
    seconds: envInt('BENCH_SECONDS', 15, 1, 3600),
    warmupS: envInt('BENCH_WARMUP', 3, 0, 600),
    drainS: 5,
    connectBatch: 100,
    rounds: envInt('BENCH_ROUNDS', 3, 1, 20),
    idleUpdates: envInt('BENCH_IDLE_UPDATES', 100, 1, 100_000),
  };
}

async function measure(
  start: () => Promise<Target>,
  opts: FanoutOptions & { idleUpdates: number },
  runId: string,
): Promise<Measured> {
  const target = await start();
  try {
    const fsync = target.acks ? await probeFsync() : null;
    if (fsync) console.log(`  data disk: fsync p50 ${fmt(fsync.p50)} ms p99 ${fmt(fsync.p99)} ms (n=${fsync.n})`);
    console.log(`  ${target.label}: idle round trips (${opts.idleUpdates} updates, one at a time)…`);
    const idle = await runIdle(target, opts.idleUpdates, 20, runId);
    console.log(
      `    idle delivery p50 ${fmt(idle.delivery.p50)} ms p99 ${fmt(idle.delivery.p99)} ms` +
        (idle.ack ? `; durable ack p50 ${fmt(idle.ack.p50)} ms p99 ${fmt(idle.ack.p99)} ms` : ''),
    );
    console.log(
      `  ${target.label}: fan-out ${opts.connections} connections / ${opts.groups} groups / ${opts.rate} updates/s ` +
        `for ${opts.seconds} s…`,
    );
    const fanout = await runFanout(target, opts, runId);
    printFanout(fanout);
    return { fanout, idle, fsync };
  } finally {
    await target.stop();
  }
}

function printFanout(r: FanoutResult): void {
  const closes = Object.entries(r.closes)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  console.log(
    `    delivery p50 ${fmt(r.delivery.p50)} ms, p99 ${fmt(r.delivery.p99)} ms (n=${r.delivery.n}); ` +
      `${fmt(r.deliveredPerS)} deliveries/s (${(100 * r.deliveryRatio).toFixed(1)}% of expected); ` +
      `relay CPU ${fmt(r.relayCpuS)} s = ${fmt(r.relayCpuPct)}% of a core; ${fmt(r.messagesPerUpdate)} messages ` +
      `to clients per update; load generator ${fmt(r.loadgenCpuPct)}% ` +
      `(event-loop lag p99 ${fmt(r.loadgenLagP99)} ms); connect ${fmt(r.connectS)} s` +
      (r.ack
        ? `; ack p50 ${fmt(r.ack.p50)} ms p99 ${fmt(r.ack.p99)} ms (n=${r.ack.n}, missing ${r.ack.missing})`
        : '') +
      (closes ? `; closes ${closes}` : '') +
      `; delivery p99 per second: ${r.p99PerSecond.map((x) => fmt(x, 1)).join(' ')}` +
      (r.notices ? `; notices ${r.notices}` : ''),
  );
}

/** Median over rounds of one figure; null when no round has it. */
function med(values: Array<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => v != null && Number.isFinite(v));
  return xs.length > 0 ? median(xs) : null;
}

export async function runRelayBench(): Promise<RelayBenchResult> {
  const opts = relayOptions();
  const runId = `b${Date.now().toString(36)}`;
  const musterSkipped = musterAvailable()
    ? null
    : `TODO: ${MUSTER_MAIN} does not exist yet; Muster's relay was not measured (reference only).`;
  if (musterSkipped) console.log(`  ${musterSkipped}`);
  const tokens = envInt('BENCH_TOKENS', 4, 1, 100);
  const rounds: RelayRound[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    const id = `${runId}r${i}`;
    console.log(`relay round ${i + 1}/${opts.rounds}`);
    let reference: RelayRound['reference'] | undefined;
    let muster: RelayRound['muster'] = null;
    const ref = async (): Promise<void> => {
      reference = await measure(startReference, opts, `${id}ref`);
    };
    const mus = async (): Promise<void> => {
      if (!musterSkipped) muster = await measure(() => startMuster(tokens), opts, `${id}mus`);
    };
    if (i % 2 === 0) {
      await ref();
      await mus();
    } else {
      await mus();
      await ref();
    }
    rounds.push({ reference: reference!, muster });
  }

  const R = rounds.map((r) => r.reference);
  const M = rounds.map((r) => r.muster);
  const perK = (f: FanoutResult | undefined): number | null =>
    f && f.relayCpuS !== null && f.delivered > 0 ? (1000 * f.relayCpuS * 1000) / f.delivered : null;
  const refLabel = '@y/websocket-server 0.1.1';
  const part = 'relay';
  const rows: SummaryRow[] = [
    row(
      part,
      'fan-out delivery p50',
      'ms',
      med(M.map((m) => m?.fanout.delivery.p50)),
      med(R.map((r) => r.fanout.delivery.p50)),
      refLabel,
    ),
    row(
      part,
      'fan-out delivery p99',
      'ms',
      med(M.map((m) => m?.fanout.delivery.p99)),
      med(R.map((r) => r.fanout.delivery.p99)),
      refLabel,
    ),
    row(
      part,
      'delivered updates',
      '/s',
      med(M.map((m) => m?.fanout.deliveredPerS)),
      med(R.map((r) => r.fanout.deliveredPerS)),
      refLabel,
    ),
    row(
      part,
      'relay CPU time in the window',
      's',
      med(M.map((m) => m?.fanout.relayCpuS)),
      med(R.map((r) => r.fanout.relayCpuS)),
      refLabel,
    ),
    row(
      part,
      'relay CPU',
      '% of a core',
      med(M.map((m) => m?.fanout.relayCpuPct)),
      med(R.map((r) => r.fanout.relayCpuPct)),
      refLabel,
    ),
    row(
      part,
      'relay CPU per 1k deliveries',
      'ms',
      med(M.map((m) => perK(m?.fanout))),
      med(R.map((r) => perK(r.fanout))),
      refLabel,
    ),
    row(
      part,
      'messages to clients',
      'per update',
      med(M.map((m) => m?.fanout.messagesPerUpdate)),
      med(R.map((r) => r.fanout.messagesPerUpdate)),
      refLabel,
    ),
    row(
      'ack',
      'durable ack p50 under fan-out',
      'ms',
      med(M.map((m) => m?.fanout.ack?.p50)),
      med(R.map((r) => r.fanout.delivery.p50)),
      'reference delivery p50, same load',
    ),
    row(
      'ack',
      'durable ack p99 under fan-out',
      'ms',
      med(M.map((m) => m?.fanout.ack?.p99)),
      med(R.map((r) => r.fanout.delivery.p99)),
      'reference delivery p99, same load',
    ),
    row(
      'ack',
      'durable ack p50, idle',
      'ms',
      med(M.map((m) => m?.idle.ack?.p50)),
      med(R.map((r) => r.idle.delivery.p50)),
      'reference idle delivery p50',
    ),
    row(
      'ack',
      'durable ack p99, idle',
      'ms',
      med(M.map((m) => m?.idle.ack?.p99)),
      med(R.map((r) => r.idle.delivery.p99)),
      'reference idle delivery p99',
    ),
    row(
      'ack',
      'durable ack p99, idle, against the disk',
      'ms',
      med(M.map((m) => m?.idle.ack?.p99)),
      med(M.map((m) => m?.fsync?.p99)),
      'fsync p99 of the data disk, same run (floor of a durable ack)',
    ),
    row(
      part,
      'load generator event-loop lag p99',
      'ms',
      med(M.map((m) => m?.fanout.loadgenLagP99)),
      med(R.map((r) => r.fanout.loadgenLagP99)),
      'same, during the reference run (noise gauge)',
    ),
  ];
  return { options: opts, rounds, musterSkipped, rows };
}

export function printRelay(result: RelayBenchResult): void {
  console.log(
    `\nRelay (${result.options.connections} connections, ${result.options.groups} groups, ` +
      `${result.options.rate} updates/s offered, ${result.options.seconds} s measured, ` +
      `median over ${result.options.rounds} round(s); value = Muster's relay)`,
  );
  console.log(summaryTable(result.rows));
  if (result.musterSkipped) console.log(result.musterSkipped);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRelayBench();
  printRelay(result);
  process.exit(0);
}
