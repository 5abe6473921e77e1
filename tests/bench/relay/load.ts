/**
 * The load generator: N y-websocket clients (one Y.Doc each) over M groups, in this process, against a relay
 * in another process. Each update is a core `addFinding` whose text carries its send time, so every receiver
 * measures delivery latency; with Muster's relay each sender also times the durable ack that covers it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { Root, addFinding, readMeta, rootMap, startGroup } from '@muster/core';
import type { Actor } from '@muster/core';
import { MessageType, groupDocName, readAck } from '@muster/protocol';
import { treeCpuSeconds } from '../lib/proc.ts';
import { nowAbs, percentile, sleep } from '../lib/stats.ts';
import type { Target } from './targets.ts';

const author: Actor = { personId: 'p-bench', name: 'Bench Officer (fictional)' };

/** Who the clients write as: the target's logged-in officer, else a fictional bench officer. */
function actorOf(target: Target): Actor {
  return target.actor ? { personId: target.actor.personId, name: target.actor.name } : author;
}

interface Pending {
  /** The sender's clock after this update: an ack covers it when its state vector reaches this. */
  clock: number;
  sent: number;
  measured: boolean;
}

interface Client {
  idx: number;
  groupId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  seq: number;
  pending: Pending[];
}

/** Measurement window shared by all clients of one run (absolute ms). */
interface Window {
  start: number;
  end: number;
}

interface Recorder {
  window: Window;
  delivery: number[];
  /** Send time of each delivery sample (parallel to `delivery`), for the per-second profile. */
  deliverySent: number[];
  ack: number[];
  /** Receiver-side hook for the idle run. */
  onDelivered?: (clientIdx: number, id: string) => void;
  onAcked?: (clientIdx: number) => void;
  closes: Map<number, number>;
  notices: number;
  /** Messages the clients received in the window (every type: updates, acknowledgements, awareness, notices). */
  messages: number;
}

const inWindow = (w: Window, t: number): boolean => t >= w.start && t < w.end;

function makeClient(target: Target, idx: number, groupId: string, rec: Recorder, initiator: boolean): Client {
  const doc = new Y.Doc();
  if (initiator) {
    startGroup(doc, {
      id: groupId,
      kind: 'incident',
      title: `Bench group ${groupId}`,
      unitId: target.actor?.unitId ?? 'u-bench',
      initiator: actorOf(target),
      deviceTime: Date.now(),
    });
  }
  const token = target.tokens.length > 0 ? target.tokens[idx % target.tokens.length]! : null;
  const provider = new WebsocketProvider(target.wsUrl, groupDocName(groupId), doc, {
    connect: false,
    // Same-process clients must not short-cut through BroadcastChannel: every byte goes through the relay.
    disableBc: true,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
  });
  const client: Client = { idx, groupId, doc, provider, seq: 0, pending: [] };
  const entries = rootMap(doc, Root.entries);
  entries.observe((event) => {
    if (event.transaction.local) return;
    const now = nowAbs();
    for (const key of event.keysChanged) {
      const value = entries.get(key) as { text?: unknown } | undefined;
      const text = typeof value?.text === 'string' ? value.text : '';
      if (!text.startsWith('t=')) continue;
      const sent = Number(text.slice(2));
      if (inWindow(rec.window, sent)) {
        rec.delivery.push(now - sent);
        rec.deliverySent.push(sent);
      }
      rec.onDelivered?.(idx, key);
    }
  });
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
    const ack = readAck(decoder);
    const acked = Y.decodeStateVector(ack.stateVector).get(doc.clientID) ?? 0;
    const now = nowAbs();
    while (client.pending.length > 0 && client.pending[0]!.clock <= acked) {
      const p = client.pending.shift()!;
      if (p.measured) rec.ack.push(now - p.sent);
    }
    rec.onAcked?.(idx);
  };
  provider.messageHandlers[MessageType.notice] = () => {
    rec.notices++;
  };
  // Every message a client receives goes through one of these handlers: count them (messages per update sent).
  const handlers = provider.messageHandlers;
  for (let type = 0; type < handlers.length; type++) {
    const handle = handlers[type];
    if (!handle) continue;
    handlers[type] = (encoder, decoder, p, emitSynced, messageType) => {
      if (inWindow(rec.window, nowAbs())) rec.messages++;
      handle(encoder, decoder, p, emitSynced, messageType);
    };
  }
  provider.on('connection-close', (event) => {
    const code = event?.code ?? 0;
    rec.closes.set(code, (rec.closes.get(code) ?? 0) + 1);
  });
  return client;
}

/** Sends one finding stamped with its send time; returns that time. */
function send(client: Client, target: Target, rec: Recorder): number {
  const t = nowAbs();
  addFinding(client.doc, {
    id: `e${client.idx}-${client.seq++}`,
    text: `t=${t.toFixed(3)}`,
    author: actorOf(target),
    deviceTime: Date.now(),
  });
  if (target.acks) {
    client.pending.push({
      clock: Y.getState(client.doc.store, client.doc.clientID),
      sent: t,
      measured: inWindow(rec.window, t),
    });
  }
  return t;
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function newRecorder(): Recorder {
  return {
    window: { start: Infinity, end: Infinity },
    delivery: [],
    deliverySent: [],
    ack: [],
    closes: new Map(),
    notices: 0,
    messages: 0,
  };
}

async function connectAll(clients: Client[], batch: number): Promise<void> {
  for (let i = 0; i < clients.length; i += batch) {
    const slice = clients.slice(i, i + batch);
    for (const c of slice) c.provider.connect();
    await waitFor(() => slice.every((c) => c.provider.synced), 60_000, `clients ${i}..${i + slice.length - 1} to sync`);
  }
}

/**
 * Every y-websocket client renews its awareness state 15 s after the last change. Clients made in one loop would
 * all renew in the same instant, a burst no real fleet produces; spread their last renewal over 15 s instead, as
 * devices that connected at different times would be.
 */
function desynchroniseAwareness(clients: Client[]): void {
  const now = Date.now();
  for (const c of clients) {
    const meta = c.provider.awareness.meta.get(c.doc.clientID);
    if (meta) meta.lastUpdated = now - Math.random() * 15_000;
  }
}

async function closeAll(clients: Client[]): Promise<void> {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
  await sleep(200);
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

const latency = (xs: number[]): Latency => ({
  p50: percentile(xs, 50),
  p99: percentile(xs, 99),
  max: percentile(xs, 100),
  n: xs.length,
});

export interface FanoutOptions {
  connections: number;
  groups: number;
  /** Updates per second, all clients together. */
  rate: number;
  warmupS: number;
  seconds: number;
  drainS: number;
  connectBatch: number;
}

export interface FanoutResult {
  target: Target['name'];
  label: string;
  connections: number;
  groups: number;
  offeredRate: number;
  seconds: number;
  connectS: number;
  sent: number;
  sentPerS: number;
  expectedDeliveries: number;
  delivered: number;
  deliveredPerS: number;
  /** delivered / expected, 1 when every update reached every other member of its group. */
  deliveryRatio: number;
  delivery: Latency;
  /** Durable ack latency under this load (Muster only). */
  ack: (Latency & { missing: number }) | null;
  relayCpuS: number | null;
  /** Relay CPU as a percentage of one core over the window. */
  relayCpuPct: number | null;
  loadgenCpuPct: number;
  /** Event-loop delay of the load generator (ms): if high, latencies include the generator's own queueing. */
  loadgenLagP99: number;
  /** Delivery p99 (ms) per second of the window, by send time: shows whether the tail is one stall or spread. */
  p99PerSecond: number[];
  closes: Record<string, number>;
  notices: number;
  /** Messages the clients received in the window per update sent in it (the reference relay: one per receiver). */
  messagesPerUpdate: number;
}

/** Fan-out run: connect, warm up, send at a fixed total rate for `seconds`, drain, disconnect. */
export async function runFanout(target: Target, opts: FanoutOptions, runId: string): Promise<FanoutResult> {
  process.setMaxListeners(0); // each y-websocket provider adds a process 'exit' listener
  const rec = newRecorder();
  const clients: Client[] = [];
  const members = new Array<number>(opts.groups).fill(0);
  for (let i = 0; i < opts.connections; i++) {
    const g = i % opts.groups;
    members[g]!++;
    clients.push(makeClient(target, i, `${runId}-g${g}`, rec, i < opts.groups));
  }
  const t0 = performance.now();
  try {
    await connectAll(clients, opts.connectBatch);
    await waitFor(() => clients.every((c) => readMeta(c.doc) !== null), 60_000, 'every client to see its group');
    desynchroniseAwareness(clients);
    const connectS = (performance.now() - t0) / 1000;

    // A random but fixed order of senders spreads the load over groups and clients.
    const order = clients.map((_, i) => i).sort(() => Math.random() - 0.5);
    const lag = monitorEventLoopDelay({ resolution: 5 });
    const begin = nowAbs();
    rec.window.start = begin + opts.warmupS * 1000;
    rec.window.end = rec.window.start + opts.seconds * 1000;
    let sent = 0;
    let sentInWindow = 0;
    let expected = 0;
    let cpu0: number | null = null;
    let load0 = process.cpuUsage();
    for (;;) {
      const now = nowAbs();
      if (now >= rec.window.end) break;
      if (cpu0 === null && now >= rec.window.start) {
        cpu0 = treeCpuSeconds(target.pid);
        load0 = process.cpuUsage();
        lag.enable();
      }
      const due = Math.floor(((now - begin) / 1000) * opts.rate);
      while (sent < due) {
        const c = clients[order[sent % order.length]!]!;
        const t = send(c, target, rec);
        sent++;
        if (inWindow(rec.window, t)) {
          sentInWindow++;
          expected += members[c.idx % opts.groups]! - 1;
        }
      }
      await sleep(2);
    }
    const cpu1 = treeCpuSeconds(target.pid);
    const load = process.cpuUsage(load0);
    lag.disable();
    const seconds = (rec.window.end - rec.window.start) / 1000;
    // Drain: let in-flight deliveries and acks arrive (bounded).
    const drainEnd = Date.now() + opts.drainS * 1000;
    while (Date.now() < drainEnd) {
      const acksDone = !target.acks || clients.every((c) => c.pending.every((p) => !p.measured));
      if (rec.delivery.length >= expected && acksDone) break;
      await sleep(50);
    }
    const relayCpuS = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
    const missingAcks = clients.reduce((n, c) => n + c.pending.filter((p) => p.measured).length, 0);
    return {
      target: target.name,
      label: target.label,
      connections: opts.connections,
      groups: opts.groups,
      offeredRate: opts.rate,
      seconds,
      connectS,
      sent: sentInWindow,
      sentPerS: sentInWindow / seconds,
      expectedDeliveries: expected,
      delivered: rec.delivery.length,
      deliveredPerS: rec.delivery.length / seconds,
      deliveryRatio: expected > 0 ? rec.delivery.length / expected : Number.NaN,
      delivery: latency(rec.delivery),
      ack: target.acks ? { ...latency(rec.ack), missing: missingAcks } : null,
      relayCpuS,
      relayCpuPct: relayCpuS === null ? null : (100 * relayCpuS) / seconds,
      loadgenCpuPct: (100 * (load.user + load.system)) / 1e6 / seconds,
      loadgenLagP99: lag.percentile(99) / 1e6,
      p99PerSecond: perSecond(rec, 99),
      closes: Object.fromEntries(rec.closes),
      notices: rec.notices,
      messagesPerUpdate: sentInWindow > 0 ? rec.messages / sentInWindow : Number.NaN,
    };
  } finally {
    await closeAll(clients);
  }
}

function perSecond(rec: Recorder, p: number): number[] {
  const buckets: number[][] = [];
  rec.delivery.forEach((lat, i) => {
    const s = Math.floor((rec.deliverySent[i]! - rec.window.start) / 1000);
    (buckets[s] ??= []).push(lat);
  });
  return Array.from(buckets, (b) => (b ? percentile(b, p) : Number.NaN));
}

export interface IdleResult {
  target: Target['name'];
  updates: number;
  delivery: Latency;
  ack: Latency | null;
}

/**
 * Idle round trips: two clients in one group, one update at a time (the next only after the previous was
 * delivered and, with Muster, acknowledged). Delivery to the peer on the reference relay is the baseline for
 * the durable ack: both are client → relay → client.
 */
export async function runIdle(target: Target, updates: number, gapMs: number, runId: string): Promise<IdleResult> {
  const rec = newRecorder();
  rec.window = { start: 0, end: Infinity };
  let delivered = 0;
  rec.onDelivered = () => delivered++;
  const groupId = `${runId}-idle`;
  const a = makeClient(target, 0, groupId, rec, true);
  const b = makeClient(target, 1, groupId, rec, false);
  try {
    await connectAll([a, b], 2);
    await waitFor(() => readMeta(b.doc) !== null, 10_000, 'the peer to see the group');
    for (let i = 0; i < updates; i++) {
      send(a, target, rec);
      await waitFor(
        () => delivered > i && (!target.acks || a.pending.length === 0),
        10_000,
        `update ${i} to be delivered${target.acks ? ' and acknowledged' : ''}`,
      );
      await sleep(gapMs);
    }
    return {
      target: target.name,
      updates,
      delivery: latency(rec.delivery),
      ack: target.acks ? latency(rec.ack) : null,
    };
  } finally {
    await closeAll([a, b]);
  }
}
