/**
 * Inbox archive bench (HIST-8): a duty leader's live inbox at 2,000 and 20,000 groups of history, before and after
 * the relay archives it, same run. A SQLite store (a real file in a temp dir, the relay's own store code) gets the
 * group list rows (90% closed, the rest open with the leader's invitation signed in half of them) and the leader's
 * inbox document as the relay writes it (one update per group: the invitation to the leader post, an approval
 * request in 30% of groups, an escalation in 5%; the leader's device marked 80% read), compacted as the relay does.
 * Then the relay's loader (`inboxArchiver`, what `prepareLoad` runs) archives it. Printed: the live inbox's bytes
 * (what a first sync sends) and the time to decode it into a document (relay load, device apply) before and after;
 * the archiving pass (once, at load); the archive's first page and a page deep in it.
 *
 *   tsx tests/bench/inbox-archive.ts      knobs: BENCH_INBOX_SMALL (2000), BENCH_INBOX_GROUPS (20000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { INBOX_KEEP_MS, INBOX_STALE_MS, addInboxItems, defineInboxRoots, inboxItemId, markRead } from '@muster/core';
import type { InboxItem } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';
import { systemClock } from '../../sync-server/src/clock.ts';
import { createLogger } from '../../sync-server/src/log.ts';
import { openSqliteStore } from '../../sync-server/src/store/sqliteStore.ts';
import type { DocAppend, StoredDoc } from '../../sync-server/src/store/store.ts';
import { inboxArchiver } from '../../sync-server/src/workflow/inboxArchiver.ts';
import { envInt, fmt, fmtRatio, ratio, table } from './lib/stats.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

const DAY = 24 * 3_600_000;
const PER_DAY = 800;
const LEADER = 'demo007';
const DOC = `inbox:${LEADER}`;

interface SizeFigures {
  groups: number;
  items: number;
  archived: number;
  kept: number;
  bytesBefore: number;
  bytesAfter: number;
  decodeBeforeMs: number;
  decodeAfterMs: number;
  archiveMs: number;
  firstPageMs: number;
  deepPageMs: number;
}

export interface InboxArchiveResult {
  sizes: SizeFigures[];
  rows: SummaryRow[];
}

const storedBytes = (s: StoredDoc): number =>
  (s.snapshot?.byteLength ?? 0) + s.updates.reduce((n, u) => n + u.byteLength, 0);

/** Median ms of decoding the stored state into a fresh document (what a load or a first sync does with it). */
function decodeMs(s: StoredDoc, runs = 5): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const doc = new Y.Doc();
    if (s.snapshot) Y.applyUpdate(doc, s.snapshot);
    for (const u of s.updates) Y.applyUpdate(doc, u);
    times.push(performance.now() - t);
    doc.destroy();
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function groupRow(id: string, i: number, at: number, closed: boolean, leaderSigned: boolean): GroupSummary {
  return {
    id,
    title: `历史警情 ${i} (fictional)`,
    kind: 'incident',
    initiatorName: '测试员',
    createdAt: at,
    updatedAt: at,
    entryCount: 8,
    status: {
      closedAt: closed ? at + 3_600_000 : null,
      invited: 5,
      signed: closed ? 5 : 3,
      closureDeadline: null,
      open:
        closed || leaderSigned ? [] : [{ invitationId: `inv-${id}-p-e-leader`, postId: 'p-e-leader', deadline: at }],
    },
  };
}

async function measureSize(groups: number): Promise<SizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-inbox-'));
  const store = openSqliteStore(dir);
  try {
    const now = Date.now();
    const start = now - Math.ceil(groups / PER_DAY) * DAY;
    const doc = new Y.Doc();
    defineInboxRoots(doc);
    const device = new Y.Doc();
    const pending: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => pending.push(u));
    let batch: DocAppend[] = [];
    let items = 0;
    const flush = async () => {
      if (pending.length) batch.push({ docName: DOC, updates: pending.splice(0) });
      if (batch.length) await store.appendUpdates(batch);
      batch = [];
    };
    for (let i = 0; i < groups; i++) {
      const id = `hist-${String(i).padStart(7, '0')}`;
      const at = start + Math.floor((i * DAY) / PER_DAY);
      const closed = i % 10 !== 0;
      batch.push({
        docName: `group:${id}`,
        updates: [new Uint8Array([0, 0])],
        group: groupRow(id, i, at, closed, i % 20 === 0),
      });
      const base = { groupId: id, groupTitle: `历史警情 ${i} 东湖路 ${i % 97} 号 (fictional)` };
      const own: InboxItem[] = [
        {
          id: inboxItemId('invitation', id, `inv-${id}-p-e-leader`),
          kind: 'invitation',
          ...base,
          refId: `inv-${id}-p-e-leader`,
          text: '东城分局值班领导岗',
          at,
          postId: 'p-e-leader',
        },
      ];
      if (i % 10 < 3) {
        own.push({
          id: inboxItemId('approval', id, `apr-${i}`),
          kind: 'approval',
          ...base,
          refId: `apr-${i}`,
          text: '调取监控录像',
          at: at + 60_000,
          approvalType: 'cctv',
        });
      }
      if (i % 20 === 1) {
        own.push({
          id: inboxItemId('escalation', id, `inv-${id}-p-e-legal`),
          kind: 'escalation',
          ...base,
          refId: `inv-${id}-p-e-legal`,
          text: '法制大队',
          at: at + 31 * 60_000,
          postId: 'p-e-legal',
        });
      }
      addInboxItems(doc, own, 'server');
      items += own.length;
      // the leader's device marks most of them read (its own client, synced to the relay)
      if (i % 5 !== 0) {
        const sv = Y.encodeStateVector(device);
        Y.applyUpdate(device, Y.encodeStateAsUpdate(doc, sv));
        const before = Y.encodeStateVector(doc);
        markRead(
          device,
          own.map((x) => x.id),
          at + 120_000,
        );
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(device, before));
      }
      if (batch.length >= 500) await flush();
    }
    await flush();
    const loaded0 = await store.loadDoc(DOC);
    await store.compact(DOC, Y.encodeStateAsUpdate(doc), loaded0.lastSeq);
    const stored = await store.loadDoc(DOC);
    const bytesBefore = storedBytes(stored);
    const decodeBeforeMs = decodeMs(stored);
    const log = createLogger({ level: 'error', format: 'plain' });
    let outcome = { archived: 0, kept: 0 };
    const archive = inboxArchiver(
      { store, clock: systemClock, log, keepMs: INBOX_KEEP_MS, staleMs: INBOX_STALE_MS, minItems: 50 },
      (o) => (outcome = o),
    );
    const t = performance.now();
    const after = await archive(DOC, stored);
    const archiveMs = performance.now() - t;
    const reloaded = await store.loadDoc(DOC);
    if (storedBytes(reloaded) !== storedBytes(after)) throw new Error('the store does not hold the archived inbox');
    const bytesAfter = storedBytes(after);
    const decodeAfterMs = decodeMs(after);
    let t1 = performance.now();
    await store.listInboxArchive({ personId: LEADER, limit: 51 });
    const firstPageMs = performance.now() - t1;
    // a page from the middle of the history (a person paging far back)
    t1 = performance.now();
    await store.listInboxArchive({
      personId: LEADER,
      before: { at: start + Math.floor((now - start) / 2), itemId: '~' },
      limit: 51,
    });
    const deepPageMs = performance.now() - t1;
    doc.destroy();
    device.destroy();
    return {
      groups,
      items,
      archived: outcome.archived,
      kept: outcome.kept,
      bytesBefore,
      bytesAfter,
      decodeBeforeMs,
      decodeAfterMs,
      archiveMs,
      firstPageMs,
      deepPageMs,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runInboxArchiveBench(): Promise<InboxArchiveResult> {
  const sizes = [envInt('BENCH_INBOX_SMALL', 2000, 100), envInt('BENCH_INBOX_GROUPS', 20_000, 100)];
  const out: SizeFigures[] = [];
  for (const n of sizes) out.push(await measureSize(n));
  const rows: SummaryRow[] = [];
  for (const s of out) {
    const part = `inbox archive ${s.groups}`;
    rows.push(
      row(part, 'live inbox after archiving', 'kB', s.bytesAfter / 1024, s.bytesBefore / 1024, 'same inbox before'),
    );
    rows.push(row(part, 'inbox decode after', 'ms', s.decodeAfterMs, s.decodeBeforeMs, 'same inbox before'));
  }
  const [small, big] = out;
  if (small && big) {
    rows.push(
      row(
        'inbox archive',
        `live inbox at ${big.groups} groups`,
        'kB',
        big.bytesAfter / 1024,
        small.bytesAfter / 1024,
        `at ${small.groups} groups`,
      ),
    );
  }
  return { sizes: out, rows };
}

export function printInboxArchive(r: InboxArchiveResult): void {
  console.log(
    table(
      [
        [
          'groups',
          'items',
          'archived',
          'kept',
          'live kB before',
          'live kB after',
          'ratio',
          'decode ms before',
          'after',
          'archiving ms',
          'archive page ms (first, deep)',
        ],
        ...r.sizes.map((s) => [
          String(s.groups),
          String(s.items),
          String(s.archived),
          String(s.kept),
          fmt(s.bytesBefore / 1024, 1),
          fmt(s.bytesAfter / 1024, 1),
          fmtRatio(ratio(s.bytesAfter, s.bytesBefore)),
          fmt(s.decodeBeforeMs, 1),
          fmt(s.decodeAfterMs, 1),
          fmt(s.archiveMs, 0),
          `${fmt(s.firstPageMs, 2)}, ${fmt(s.deepPageMs, 2)}`,
        ]),
      ],
      'rrrrrrrrrrr',
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printInboxArchive(await runInboxArchiveBench());
}
