/**
 * History bench (HIST-1): the group list at 2,000 and at 120,000 groups of history, same run. A SQLite store (a
 * real file in a temp dir, the relay's own store code) gets the demo city and a generated history (generate.ts);
 * at each size the list handler's work (`groupListPage`: keys, index pages, rows) is timed in this process for a
 * management desk (demo005), a frontline officer (demo015) and the city duty leader (demo001): the first page
 * (200 rows), a delta with nothing changed since the newest cursor, and a delta after 20 groups changed. The
 * baseline, measured beside it on the same file, is the scan the list did before the index: every group row and
 * every access row read, filtered in JavaScript per person. Per-call time is wall time of the call (p95) and this
 * process's CPU per call (`process.cpuUsage`); HTTP and auth are not included (they do not grow with history).
 *
 *   tsx tests/bench/history/index.ts      knobs: BENCH_HISTORY_SMALL (2000), BENCH_HISTORY_GROUPS (120000),
 *                                          BENCH_HISTORY_CALLS (40)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Directory, directoryFromObject } from '@muster/core';
import type { GroupListResponse } from '@muster/protocol';
import { groupListPage } from '../../../sync-server/src/http/groupList.ts';
import { openSqliteStore } from '../../../sync-server/src/store/sqliteStore.ts';
import type { GroupAccess, Store } from '../../../sync-server/src/store/store.ts';
import { REPO_ROOT } from '../../helpers/startServer.ts';
import { envInt, fmt, fmtRatio, percentile, ratio, table } from '../lib/stats.ts';
import { row } from '../lib/summary.ts';
import type { SummaryRow } from '../lib/summary.ts';
import { generateHistory } from './generate.ts';

const ROLES = [
  { label: 'desk', sub: 'demo005' },
  { label: 'frontline', sub: 'demo015' },
  { label: 'city leader', sub: 'demo001' },
] as const;

interface Figure {
  p95Ms: number;
  cpuMs: number;
  rows: number;
}

interface SizeFigures {
  groups: number;
  generateS: number;
  byRole: Record<string, { page: Figure; delta: Figure; changed: Figure; scan: Figure; visible: number }>;
}

export interface HistoryResult {
  calls: number;
  sizes: SizeFigures[];
  rows: SummaryRow[];
}

/** `fn` called `calls` times: p95 wall ms, mean CPU ms per call, rows of the last call. */
async function measure(calls: number, fn: () => Promise<number>): Promise<Figure> {
  await fn();
  const walls: number[] = [];
  let rows = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    rows = await fn();
    walls.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { p95Ms: percentile(walls, 95), cpuMs: (cpu.user + cpu.system) / 1000 / calls, rows };
}

/** The list before the index: every row and access row, filtered per person in JavaScript (baseline). */
async function scan(store: Store, sub: string, roles: readonly string[], d: Directory): Promise<number> {
  const list = await store.listGroups();
  const access = new Map((await store.listGroupAccess()).map((a) => [a.groupId, a]));
  const may = (a: GroupAccess): boolean => {
    if (roles.includes('admin') || roles.includes('auditor') || a.initiatorId === sub) return true;
    return d
      .dutyPostsOf(sub)
      .some((p) => a.postIds.includes(p.id) || (p.kind === 'leader' && d.oversees(p.unitId, a.unitId)));
  };
  const shown = list.filter((g) => {
    const a = access.get(g.id);
    return a ? may(a) : false;
  });
  JSON.stringify(shown);
  return shown.length;
}

async function pageOf(store: Store, sub: string, roles: string[], d: Directory, since: string | null) {
  const q = new URLSearchParams(since ? { since } : {});
  return groupListPage(store, { sub, roles }, d, q, Date.now());
}

/** Walks every page of a person's list; resolves to the newest cursor and how many rows were listed. */
async function walk(store: Store, sub: string, roles: string[], d: Directory): Promise<{ cursor: string; n: number }> {
  let cursor: string | null = null;
  let n = 0;
  for (;;) {
    const r: GroupListResponse = await pageOf(store, sub, roles, d, cursor);
    n += r.groups.length;
    cursor = r.cursor!;
    if (!r.more) return { cursor, n };
  }
}

async function measureSize(
  store: Store,
  d: Directory,
  groups: number,
  generateS: number,
  calls: number,
): Promise<SizeFigures> {
  const out: SizeFigures = { groups, generateS, byRole: {} };
  for (const role of ROLES) {
    const person = d.person(role.sub)!;
    const roles = [...person.roles];
    const { cursor, n } = await walk(store, role.sub, roles, d);
    const page = await measure(calls, async () => {
      const r = await pageOf(store, role.sub, roles, d, null);
      JSON.stringify(r);
      return r.groups.length;
    });
    const delta = await measure(calls, async () => (await pageOf(store, role.sub, roles, d, cursor)).groups.length);
    const scanned = await measure(Math.max(3, Math.floor(calls / 8)), () => scan(store, role.sub, roles, d));
    out.byRole[role.label] = { page, delta, changed: delta, scan: scanned, visible: n };
  }
  // 20 groups change (a day's few minutes): the delta of each person carries only those they see
  const changedIds = Array.from({ length: 20 }, (_, i) => `hist-${String(groups - 1 - i * 7).padStart(7, '0')}`);
  const cursors = new Map<string, string>();
  for (const role of ROLES) {
    const roles = [...d.person(role.sub)!.roles];
    cursors.set(role.label, (await walk(store, role.sub, roles, d)).cursor);
  }
  const rows = await Promise.all(changedIds.map((id) => store.getGroup(id)));
  await store.appendUpdates(
    rows.flatMap((g) =>
      g
        ? [
            {
              docName: `group:${g.id}`,
              updates: [new Uint8Array([0, 0])],
              group: { ...g, entryCount: g.entryCount + 1 },
            },
          ]
        : [],
    ),
  );
  for (const role of ROLES) {
    const roles = [...d.person(role.sub)!.roles];
    const since = cursors.get(role.label)!;
    out.byRole[role.label]!.changed = await measure(calls, async () => {
      const r = await pageOf(store, role.sub, roles, d, since);
      JSON.stringify(r);
      return r.groups.length;
    });
  }
  return out;
}

export async function runHistoryBench(): Promise<HistoryResult> {
  const small = envInt('BENCH_HISTORY_SMALL', 2000, 100);
  const large = envInt('BENCH_HISTORY_GROUPS', 120_000, small);
  const calls = envInt('BENCH_HISTORY_CALLS', 40, 5);
  const parsed = directoryFromObject(
    JSON.parse(readFileSync(join(REPO_ROOT, 'packages/core/demo/city.json'), 'utf8')),
    'city.json',
  );
  if (!parsed.ok) throw new Error('demo city does not parse');
  const d = new Directory(parsed.directory);
  const dir = mkdtempSync(join(tmpdir(), 'muster-history-'));
  const store = openSqliteStore(dir);
  const t0 = Date.UTC(2030, 0, 1);
  const sizes: SizeFigures[] = [];
  try {
    let done = 0;
    for (const size of [small, large]) {
      console.log(`  generating ${size.toLocaleString('en')} groups of history…`);
      const g0 = performance.now();
      await generateHistory(store, d, done, size, t0);
      const generateS = (performance.now() - g0) / 1000;
      done = size;
      console.log(`  measuring the list at ${size.toLocaleString('en')} groups…`);
      sizes.push(await measureSize(store, d, size, generateS, calls));
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const [a, b] = [sizes[0]!, sizes[1]!];
  const part = 'history';
  const rows: SummaryRow[] = [];
  for (const role of ROLES) {
    const s = a.byRole[role.label]!;
    const l = b.byRole[role.label]!;
    const at = `${b.groups.toLocaleString('en')} groups`;
    rows.push(
      row(part, `${role.label} list page p95, ${at}`, 'ms', l.page.p95Ms, s.page.p95Ms, `${a.groups} groups`),
      row(part, `  CPU per page call`, 'ms', l.page.cpuMs, s.page.cpuMs, `${a.groups} groups`),
      row(part, `  delta, nothing changed, p95`, 'ms', l.delta.p95Ms, s.delta.p95Ms, `${a.groups} groups`),
      row(part, `  delta after 20 changed, p95`, 'ms', l.changed.p95Ms, s.changed.p95Ms, `${a.groups} groups`),
      row(part, `  page p95 vs the old scan`, 'ms', l.page.p95Ms, l.scan.p95Ms, `scan, ${at}`),
    );
  }
  return { calls, sizes, rows };
}

export function printHistory(r: HistoryResult): void {
  const head = [
    'who',
    'groups',
    'visible',
    'page p95 ms',
    'CPU/page ms',
    'delta p95',
    'delta(20) p95',
    'scan p95',
    'scan CPU',
  ];
  const body = r.sizes.flatMap((s) =>
    ROLES.map((role) => {
      const f = s.byRole[role.label]!;
      return [
        role.label,
        s.groups.toLocaleString('en'),
        String(f.visible),
        fmt(f.page.p95Ms),
        fmt(f.page.cpuMs),
        fmt(f.delta.p95Ms),
        `${fmt(f.changed.p95Ms)} (${f.changed.rows} rows)`,
        fmt(f.scan.p95Ms),
        fmt(f.scan.cpuMs),
      ];
    }),
  );
  console.log(`\nGroup list from the index (HIST-1), in-process, p95 of ${r.calls} calls per figure`);
  console.log(table([head, ...body]));
  const [a, b] = r.sizes;
  if (a && b) {
    for (const role of ROLES) {
      const x = a.byRole[role.label]!;
      const y = b.byRole[role.label]!;
      console.log(
        `  ${role.label}: page ${fmtRatio(ratio(y.page.p95Ms, x.page.p95Ms))} from ${a.groups} to ${b.groups} groups; ` +
          `old scan ${fmtRatio(ratio(y.scan.p95Ms, x.scan.p95Ms))}`,
      );
    }
    console.log(`  generated in ${fmt(a.generateS, 1)} s and ${fmt(b.generateS, 1)} s`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runHistoryBench();
  printHistory(r);
}
