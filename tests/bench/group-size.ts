/**
 * Per-update cost against group size, and the relay's memory per connection and per loaded entry (issue figures
 * 2 and 7). One real relay process (sync-server/src/main.ts, SQLite, every extension on); for a group of
 * BENCH_SMALL_ENTRIES (10) and one of BENCH_LARGE_ENTRIES (5,000) entries, a writer sends BENCH_UPDATES (1,000)
 * findings one after another (each waits for its durable ack) while a second member receives them; the relay's
 * CPU seconds for those 1,000 deliveries are read from /proc, in alternating rounds (small, large, small, large).
 * The large group's figure is printed beside the small group's (its same-run baseline): the goal is a ratio
 * ≤ 1.2. Memory: the relay's RSS before loading, after the large group is loaded, and after BENCH_EXTRA_CONNECTIONS
 * more connections, divided per entry and per connection, and after BENCH_OPEN_GROUPS (100) more groups are opened
 * (each started by one connection that stays, with BENCH_OPEN_GROUP_ENTRIES (20) findings), divided per open group.
 * The same steps are also read as V8 heap after a full GC, through the relay's inspector on 127.0.0.1 (lib/heap.ts):
 * RSS keeps freed pages and uncollected garbage, so the heap figures are the ones to compare.
 * Run alone: `npx tsx tests/bench/group-size.ts`.
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { Root, addFinding, invitePost, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import { MessageType } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import { treeCpuSeconds } from './lib/proc.ts';
import { heapAfterGc, inspectorUrl } from './lib/heap.ts';
import { envInt, fmt, median, table } from './lib/stats.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

/** The receiving member's post (demo005 is on duty there), invited so the receiver may open the group. */
const MGMT: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };

export interface GroupSizeResult {
  small: number;
  large: number;
  updates: number;
  /** CPU seconds of the relay per `updates` deliveries, per round. */
  smallCpu: number[];
  largeCpu: number[];
  rssBeforeMb: number | null;
  rssPerEntryKb: number | null;
  rssPerConnectionKb: number | null;
  openGroups: number;
  rssPerOpenGroupKb: number | null;
  rssEndMb: number | null;
  /** The same steps as V8 heap after a full GC (the relay runs with its inspector on 127.0.0.1). */
  heapPerEntryKb: number | null;
  heapPerConnectionKb: number | null;
  heapPerOpenGroupKb: number | null;
  heapEndMb: number | null;
  rows: SummaryRow[];
}

function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function runGroupSizeBench(): Promise<GroupSizeResult> {
  const small = envInt('BENCH_SMALL_ENTRIES', 10, 1);
  const large = envInt('BENCH_LARGE_ENTRIES', 5000, 1);
  const updates = envInt('BENCH_UPDATES', 1000, 10);
  const rounds = envInt('BENCH_SIZE_ROUNDS', 2, 1);
  const extra = envInt('BENCH_EXTRA_CONNECTIONS', 100, 0);
  const openGroups = envInt('BENCH_OPEN_GROUPS', 100, 0);
  const openGroupEntries = envInt('BENCH_OPEN_GROUP_ENTRIES', 20, 0);
  const server = await startServer({
    env: {
      MUSTER_LOG_LEVEL: 'warn',
      MUSTER_LIMIT_CONNECTIONS_PER_PERSON: String(extra + openGroups + 100),
      // Heap after GC is read through the inspector (lib/heap.ts), on a free port of the loopback only.
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --inspect=127.0.0.1:0`.trim(),
    },
  });
  const clients: GroupClient[] = [];
  try {
    const pid = server.pid!;
    const inspector = inspectorUrl(server.output());
    const heap = (): Promise<number | null> => heapAfterGc(inspector);
    const a = await login(server.url, 'demo015');
    const b = await login(server.url, 'demo005');
    const actor = { personId: a.person.id, name: a.person.name };
    const rssBefore = rssBytes(pid);

    async function seed(groupId: string, entries: number): Promise<{ writer: GroupClient; reader: GroupClient }> {
      const writer = connectGroup(server.wsUrl, groupId, a.token);
      clients.push(writer);
      await waitFor(() => writer.provider.synced, 30_000, 'writer synced');
      writer.doc.transact(() => {
        startGroup(writer.doc, {
          id: groupId,
          kind: 'task',
          title: groupId,
          unitId: a.person.unitId,
          initiator: actor,
          deviceTime: 1,
        });
        invitePost(writer.doc, { id: 'inv-mgmt', post: MGMT, invitedBy: actor, deviceTime: 1 });
      });
      for (let done = 0; done < entries;) {
        const batch = Math.min(250, entries - done);
        writer.doc.transact(() => {
          for (let i = 0; i < batch; i++, done++) {
            addFinding(writer.doc, {
              id: `s${done}`,
              text: `seed ${done} ${'x'.repeat(80)}`,
              author: actor,
              deviceTime: done,
            });
          }
        });
        await waitFor(() => writer.fullyAcked(), 60_000, `seed of ${groupId} acked`);
      }
      const reader = connectGroup(server.wsUrl, groupId, b.token, new Y.Doc());
      reader.provider.messageHandlers[MessageType.syncProgress] = () => {};
      clients.push(reader);
      await waitFor(() => reader.provider.synced, 60_000, 'reader synced');
      return { writer, reader };
    }

    const smallGroup = await seed('grp-bench-small', small);
    const rssSmall = rssBytes(pid);
    const heapSmall = await heap();
    const largeGroup = await seed('grp-bench-large', large);
    const rssLarge = rssBytes(pid);
    const heapLarge = await heap();

    let seq = 0;
    async function deliveries(g: { writer: GroupClient; reader: GroupClient }): Promise<number> {
      const entries = g.reader.doc.getMap(Root.entries);
      const cpu0 = treeCpuSeconds(pid) ?? NaN;
      for (let i = 0; i < updates; i++) {
        const id = `u${seq++}`;
        g.writer.doc.transact(() =>
          addFinding(g.writer.doc, { id, text: `update ${id}`, author: actor, deviceTime: seq }),
        );
        await waitFor(() => g.writer.ackCovers(Root.entries, id) && entries.has(id), 30_000, `delivery of ${id}`);
      }
      return (treeCpuSeconds(pid) ?? NaN) - cpu0;
    }
    const smallCpu: number[] = [];
    const largeCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      smallCpu.push(await deliveries(smallGroup));
      largeCpu.push(await deliveries(largeGroup));
    }

    // Memory per connection: more members' connections on the small group.
    const rssBeforeConns = rssBytes(pid);
    const heapBeforeConns = await heap();
    const more: GroupClient[] = [];
    for (let i = 0; i < extra; i++) {
      const c = connectGroup(server.wsUrl, 'grp-bench-small', b.token, new Y.Doc());
      more.push(c);
      clients.push(c);
    }
    // On a loaded machine some may still be syncing: RSS is divided by the connections that synced.
    await waitFor(() => more.every((c) => c.provider.synced), 120_000, 'extra connections synced').catch(() => {});
    const synced = more.filter((c) => c.provider.synced).length;
    const rssAfterConns = rssBytes(pid);
    const heapAfterConns = await heap();

    // Memory per open group: more groups, each kept open by its writer's connection.
    const rssBeforeGroups = rssBytes(pid);
    const heapBeforeGroups = heapAfterConns;
    let opened = 0;
    for (let g = 0; g < openGroups; g++) {
      const groupId = `grp-bench-open-${g}`;
      const writer = connectGroup(server.wsUrl, groupId, a.token);
      clients.push(writer);
      await waitFor(() => writer.provider.synced, 30_000, `${groupId} synced`);
      writer.doc.transact(() => {
        startGroup(writer.doc, {
          id: groupId,
          kind: 'task',
          title: groupId,
          unitId: a.person.unitId,
          initiator: actor,
          deviceTime: 1,
        });
        for (let i = 0; i < openGroupEntries; i++) {
          addFinding(writer.doc, { id: `o${i}`, text: `open ${i} ${'x'.repeat(80)}`, author: actor, deviceTime: i });
        }
      });
      await waitFor(() => writer.fullyAcked(), 30_000, `${groupId} acked`);
      opened++;
    }
    const rssAfterGroups = rssBytes(pid);
    const heapAfterGroups = await heap();
    const diff = (after: number | null, before: number | null, n: number): number | null =>
      after !== null && before !== null && n > 0 ? (after - before) / n / 1024 : null;
    const heapPerEntry = diff(heapLarge, heapSmall, Math.max(1, large - small));
    const heapPerConn = diff(heapAfterConns, heapBeforeConns, synced);
    const heapPerGroup = diff(heapAfterGroups, heapBeforeGroups, opened);
    const perGroup =
      rssAfterGroups !== null && rssBeforeGroups !== null && opened > 0
        ? (rssAfterGroups - rssBeforeGroups) / opened / 1024
        : null;

    const perEntry =
      rssLarge !== null && rssSmall !== null ? (rssLarge - rssSmall) / Math.max(1, large - small) / 1024 : null;
    const perConn =
      rssAfterConns !== null && rssBeforeConns !== null && synced > 0
        ? (rssAfterConns - rssBeforeConns) / synced / 1024
        : null;
    const part = 'group size';
    const rows = [
      row(
        part,
        `relay CPU per ${updates} deliveries, ${large}-entry vs ${small}-entry group`,
        's',
        median(largeCpu),
        median(smallCpu),
        `${small}-entry group`,
      ),
      row(part, 'relay heap after GC per loaded entry', 'KB', heapPerEntry, null, ''),
      row(part, 'relay heap after GC per connection', 'KB', heapPerConn, null, ''),
      row(
        part,
        `relay heap after GC per open group (${openGroupEntries} entries, 1 connection)`,
        'KB',
        heapPerGroup,
        null,
        '',
      ),
      row(
        part,
        `relay heap after GC with ${opened + 2} groups open`,
        'MB',
        heapAfterGroups === null ? null : heapAfterGroups / 1048576,
        null,
        '',
      ),
      row(part, 'relay RSS per loaded entry', 'KB', perEntry, null, ''),
      row(part, 'relay RSS per connection', 'KB', perConn, null, ''),
      row(part, `relay RSS per open group (${openGroupEntries} entries, 1 connection)`, 'KB', perGroup, null, ''),
      row(
        part,
        `relay RSS with ${opened + 2} groups open`,
        'MB',
        rssAfterGroups === null ? null : rssAfterGroups / 1048576,
        null,
        '',
      ),
    ];
    return {
      small,
      large,
      updates,
      smallCpu,
      largeCpu,
      rssBeforeMb: rssBefore !== null ? rssBefore / 1048576 : null,
      rssPerEntryKb: perEntry,
      rssPerConnectionKb: perConn,
      openGroups: opened,
      rssPerOpenGroupKb: perGroup,
      rssEndMb: rssAfterGroups === null ? null : rssAfterGroups / 1048576,
      heapPerEntryKb: heapPerEntry,
      heapPerConnectionKb: heapPerConn,
      heapPerOpenGroupKb: heapPerGroup,
      heapEndMb: heapAfterGroups === null ? null : heapAfterGroups / 1048576,
      rows,
    };
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}

export function printGroupSize(r: GroupSizeResult): void {
  console.log(
    table([
      ['group', 'relay CPU s per round', 'median'],
      [`${r.small} entries`, r.smallCpu.map((x) => fmt(x)).join(' '), fmt(median(r.smallCpu))],
      [`${r.large} entries`, r.largeCpu.map((x) => fmt(x)).join(' '), fmt(median(r.largeCpu))],
    ]),
  );
  console.log(
    `ratio large/small ${fmt(median(r.largeCpu) / median(r.smallCpu))} (goal ≤ 1.2); relay RSS at start ` +
      `${fmt(r.rssBeforeMb, 1)} MB, per loaded entry ${fmt(r.rssPerEntryKb)} KB, per connection ${fmt(r.rssPerConnectionKb)} KB`,
  );
  console.log(
    `relay RSS per open group ${fmt(r.rssPerOpenGroupKb)} KB; with ${r.openGroups + 2} groups open ${fmt(r.rssEndMb, 1)} MB`,
  );
  console.log(
    `relay heap after GC per loaded entry ${fmt(r.heapPerEntryKb)} KB, per connection ${fmt(r.heapPerConnectionKb)} KB, ` +
      `per open group ${fmt(r.heapPerOpenGroupKb)} KB; with ${r.openGroups + 2} groups open ${fmt(r.heapEndMb, 1)} MB`,
  );
}

if (process.argv[1]?.endsWith('group-size.ts')) {
  const r = await runGroupSizeBench();
  printGroupSize(r);
  process.exit(0);
}
