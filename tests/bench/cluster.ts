/**
 * Several relay nodes (SCALE-*): the same load on one node and across two nodes behind HAProxy, on PostgreSQL.
 * Each of BENCH_CLUSTER_GROUPS groups has a writer and a reader; writers add findings at BENCH_CLUSTER_RATE per
 * second per group for BENCH_CLUSTER_SECONDS. "one node": writer and reader on the owner; "two nodes": the reader
 * on the other node (proxied to the owner), so every delivery crosses nodes. Figures: delivery latency p50/p99
 * (write on the writer's doc → the reader's doc has it) and the nodes' CPU per delivery (/proc). Then the time
 * ownership takes to move after kill -9 of the owner while a client writes through the balancer (a finding written
 * right after the kill is acknowledged by the next owner). A short warm-up run comes first.
 */
import { Root, addFinding, startGroup } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { treeCpuSeconds } from './lib/proc.ts';
import { envInt, fmt, percentile, table } from './lib/stats.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

export interface ClusterModeResult {
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerDelivery: number | null;
}

export interface ClusterBenchResult {
  groups: number;
  rate: number;
  seconds: number;
  one: ClusterModeResult;
  two: ClusterModeResult;
  moveMs: number;
  leaseMs: number;
  rows: SummaryRow[];
}

const cpuOf = (c: TestCluster): number => c.nodes.reduce((s, n) => s + (treeCpuSeconds(n.server.pid ?? 0) ?? 0), 0);

async function runMode(c: TestCluster, mode: 'warm' | 'one' | 'two', groups: number, rate: number, seconds: number) {
  const [n1, n2] = c.nodes;
  const a = await login(n1!.server.url, 'demo015');
  const b = await login(n1!.server.url, 'demo007');
  const actor = { personId: a.person.id, name: a.person.name };
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const clients: GroupClient[] = [];
  const writers: GroupClient[] = [];
  for (let g = 0; g < groups; g++) {
    const id = `bench-${mode}-${g}`;
    const W = connectGroup(n1!.server.wsUrl, id, a.token);
    clients.push(W);
    await waitFor(() => W.provider.synced, 30_000, 'writer synced');
    startGroup(W.doc, { id, kind: 'task', title: `Bench ${id}`, unitId: 'st-e1', initiator: actor, deviceTime: 1 });
    await waitFor(() => W.fullyAcked(), 30_000, 'group stored');
    const R = connectGroup((mode === 'two' ? n2 : n1)!.server.wsUrl, id, b.token);
    clients.push(R);
    await waitFor(() => R.provider.synced, 30_000, 'reader synced');
    R.doc.getMap(Root.entries).observe((e) => {
      const now = performance.now();
      for (const key of e.keysChanged) {
        const t = sentAt.get(`${id}/${key}`);
        if (t !== undefined) latencies.push(now - t);
      }
    });
    writers.push(W);
  }
  const cpu0 = cpuOf(c);
  const total = groups * rate * seconds;
  const interval = 1000 / (groups * rate);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const g = i % groups;
    const fid = `f-${i}`;
    sentAt.set(`bench-${mode}-${g}/${fid}`, performance.now());
    addFinding(writers[g]!.doc, { id: fid, text: `finding ${i}`, author: actor, deviceTime: i });
    const due = start + (i + 1) * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await waitFor(() => latencies.length >= total, 60_000, 'every finding delivered');
  const cpu = cpuOf(c) - cpu0;
  for (const x of clients) x.destroy();
  return {
    deliveries: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMsPerDelivery: cpu > 0 ? (cpu * 1000) / latencies.length : null,
  };
}

async function ownershipMove(c: TestCluster, leaseMs: number): Promise<number> {
  const a = await login(c.url, 'demo015');
  const actor = { personId: a.person.id, name: a.person.name };
  const W = connectGroup(c.wsUrl, 'bench-move', a.token);
  try {
    await waitFor(() => W.provider.synced, 30_000, 'synced');
    startGroup(W.doc, {
      id: 'bench-move',
      kind: 'task',
      title: 'Move',
      unitId: 'st-e1',
      initiator: actor,
      deviceTime: 1,
    });
    await waitFor(() => W.fullyAcked(), 30_000, 'stored');
    const owner = await c.ownerOf(groupDocName('bench-move'));
    const killed = performance.now();
    await owner!.server.kill('SIGKILL');
    // One finding written right after the kill; the move is done when it is acknowledged.
    addFinding(W.doc, { id: 'after-kill', text: 'after the kill', author: actor, deviceTime: 2 });
    await waitFor(() => W.ackCovers(Root.entries, 'after-kill'), leaseMs * 10, 'acknowledged by the next owner');
    return performance.now() - killed;
  } finally {
    W.destroy();
  }
}

export async function runClusterBench(): Promise<ClusterBenchResult> {
  const groups = envInt('BENCH_CLUSTER_GROUPS', 10, 1, 1000);
  const rate = envInt('BENCH_CLUSTER_RATE', 5, 1, 1000);
  const seconds = envInt('BENCH_CLUSTER_SECONDS', 6, 1, 600);
  const leaseMs = envInt('BENCH_CLUSTER_LEASE_MS', 3000, 1000, 60_000);
  const c = await TestCluster.start({ nodes: 2, leaseMs, env: { MUSTER_LOG_LEVEL: 'warn' } });
  try {
    // A short run first, so neither measured mode pays for cold code and connections.
    await runMode(c, 'warm', groups, rate, Math.min(2, seconds));
    const one = await runMode(c, 'one', groups, rate, seconds);
    const two = await runMode(c, 'two', groups, rate, seconds);
    const moveMs = await ownershipMove(c, leaseMs);
    const part = 'cluster';
    const rows = [
      row(part, 'delivery p50, two nodes vs one', 'ms', two.p50Ms, one.p50Ms, 'one node, same load'),
      row(part, 'delivery p99, two nodes vs one', 'ms', two.p99Ms, one.p99Ms, 'one node, same load'),
      row(part, 'node CPU per delivery', 'ms', two.cpuMsPerDelivery, one.cpuMsPerDelivery, 'one node, same load'),
      row(part, 'ownership move after kill -9', 'ms', moveMs, leaseMs, 'lease length'),
    ];
    return { groups, rate, seconds, one, two, moveMs, leaseMs, rows };
  } finally {
    await c.stop();
  }
}

export function printCluster(r: ClusterBenchResult): void {
  console.log(
    `${r.groups} groups × ${r.rate} findings/s for ${r.seconds} s; PostgreSQL, HAProxy, lease ${r.leaseMs} ms`,
  );
  console.log(
    table([
      ['mode', 'deliveries', 'p50 ms', 'p99 ms', 'CPU ms/delivery'],
      ['one node', String(r.one.deliveries), fmt(r.one.p50Ms), fmt(r.one.p99Ms), fmt(r.one.cpuMsPerDelivery)],
      ['two nodes', String(r.two.deliveries), fmt(r.two.p50Ms), fmt(r.two.p99Ms), fmt(r.two.cpuMsPerDelivery)],
    ]),
  );
  console.log(`ownership moved ${fmt(r.moveMs, 0)} ms after kill -9 of the owner (lease ${r.leaseMs} ms)`);
}

// `tsx tests/bench/cluster.ts` runs this part alone.
if (process.argv[1] && process.argv[1].endsWith('cluster.ts')) {
  const r = await runClusterBench();
  printCluster(r);
  process.exit(0);
}
