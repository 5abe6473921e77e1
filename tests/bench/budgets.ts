/**
 * Budgets: initial JavaScript ≤ 150 KB gzip, and an offline cold start to the group list with 2,000
 * groups stored ≤ 1 s in headless Chromium (HIST-4: the list draws only the rows in view). Figures are printed beside the budget and a baseline measured in the
 * same run, never asserted.
 *
 *   tsx tests/bench/budgets.ts
 *
 * Initial JavaScript (BUDGET-1): the app is built fresh (Vite, the repository's config); the JS files `web/dist/index.html`
 * references (its module script and modulepreloads) and every chunk they import statically (tests/helpers/firstLoad.ts)
 * are gzipped at level 9 with node:zlib and summed. The service
 * worker's precache (every `url` of the manifest in `web/dist/sw.js`) is reported too, raw and gzip.
 *
 * Cold start: Muster's relay runs as its own process (tests/helpers/startServer.ts, temp data dir, port 0) and
 * serves the built app. 2,000 groups are started on the relay by Node clients over the sync protocol (yjs +
 * y-websocket, as the integration tests do), one officer's. Two persistent Chromium profiles log in online through
 * the form, so the app itself caches its shell (service worker) and session and stores the group list index from
 * `GET /api/groups` in its own Dexie database: the baseline profile before the groups exist (0 groups), the
 * measured one after (2,000 groups). Nothing is written into IndexedDB behind the app's back. Then the relay stops
 * and each measured start launches the profile's browser afresh, offline (`context.setOffline(true)`, and nothing
 * answers at the origin anyway), and times navigation start (`performance.now()` origin) → the first animation
 * frame after the list counts all 2,000 groups (`data-total`) and draws its first rows (baseline: the empty-list message), reported by the page
 * on the console (nothing is evaluated in the page until then). The list page reads
 * index rows only (group documents load when a group is opened), so documents on the device would not change
 * what is measured. One unmeasured start each, then BENCH_COLD_REPS (5) alternating; medians.
 *
 * Knobs: BENCH_COLD_GROUPS (2000), BENCH_COLD_REPS (5), BENCH_SKIP_BUILD=1 (measure the existing web/dist),
 * BENCH_DIST=DIR (measure an app already built into DIR, served from there: compare builds without rebuilding).
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import * as Y from 'yjs';
import { startGroup } from '@muster/core';
import { browserAvailable, launchPersistent, waitForServiceWorker } from '../helpers/browser.ts';
import { firstLoad } from '../helpers/firstLoad.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { DEMO_PASSWORD, setPinIfAsked } from '../e2e/support.ts';
import { envInt, fmt, fmtRatio, median, ratio, table } from './lib/stats.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

/** The built app measured: web/dist, or BENCH_DIST (an app built elsewhere, e.g. to compare two builds; no build). */
const DIST = process.env['BENCH_DIST'] ? resolve(process.env['BENCH_DIST']) : join(REPO_ROOT, 'web/dist');
const JS_BUDGET_KB = 150;
const COLD_BUDGET_MS = 1000;
const OFFICER = 'demo015';
const VIEWPORT = { width: 1280, height: 800 };
const LIST_MARK = 'muster-bench: list shown at ';

export interface JsFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BudgetsResult {
  initialJs: { files: JsFile[]; gzipKB: number; budgetKB: number };
  precache: { entries: number; KB: number; gzipKB: number };
  coldStart: {
    groups: number;
    reps: number;
    skipped: string | null;
    withGroupsMs: number[];
    emptyMs: number[];
    medianMs: number | null;
    baselineMs: number | null;
    budgetMs: number;
  };
  rows: SummaryRow[];
}

const kb = (bytes: number): number => bytes / 1024;
const gzip9 = (buf: Buffer): number => gzipSync(buf, { level: 9 }).length;

function distFile(url: string): string {
  const path = join(DIST, decodeURIComponent(url.replace(/^\//, '').split(/[?#]/)[0]!));
  if (!path.startsWith(DIST) || !existsSync(path)) throw new Error(`${DIST} has no ${url}`);
  return path;
}

/** BUDGET-1: the first load (index.html's module script, modulepreloads and their static imports), raw and gzip -9. */
export function initialJs(): JsFile[] {
  return firstLoad(DIST).map((f) => ({ file: f.url, bytes: f.bytes, gzipBytes: f.gzipBytes }));
}

/** Every URL of the precache manifest in sw.js, summed raw and gzip -9. */
export function precache(): { entries: number; KB: number; gzipKB: number } {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const urls = new Set([...sw.matchAll(/\burl:\s*"([^"]+)"/g)].map((m) => m[1]!));
  let bytes = 0;
  let gz = 0;
  for (const url of urls) {
    const buf = readFileSync(distFile(url));
    bytes += buf.length;
    gz += gzip9(buf);
  }
  return { entries: urls.size, KB: kb(bytes), gzipKB: kb(gz) };
}

/** Starts `count` groups of one officer on the relay over the sync protocol, 20 at a time, each acknowledged. */
async function seedGroups(server: TestServer, count: number): Promise<void> {
  // Each y-websocket provider adds a process 'exit' listener; 20 at once are expected, not a leak.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 64));
  const { token, person } = await login(server.url, OFFICER);
  const actor = { personId: person.id, name: person.name };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const id = `bench-cold-${String(i).padStart(4, '0')}`;
      const c = connectGroup(server.wsUrl, id, token, new Y.Doc());
      try {
        await waitFor(() => c.provider.synced, 20_000, `${id} synced`);
        startGroup(c.doc, {
          id,
          kind: i % 5 === 0 ? 'task' : 'incident',
          title: `冷启动测试协同 ${i + 1} (fictional)`,
          unitId: person.unitId,
          initiator: actor,
          deviceTime: Date.now(),
        });
        await waitFor(() => c.fullyAcked(), 20_000, `${id} acknowledged`);
      } finally {
        c.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
}

/** Logs a fresh persistent profile in online and waits until the app shows `groups` rows (or the empty list). */
async function prepareProfile(server: TestServer, groups: number): Promise<string> {
  const run = await launchPersistent(undefined, { viewport: VIEWPORT });
  try {
    run.context.setDefaultTimeout(30_000);
    const page = run.context.pages()[0] ?? (await run.context.newPage());
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-policeNo').fill(OFFICER);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await setPinIfAsked(page);
    await page.getByTestId('new-group').waitFor();
    await waitForServiceWorker(page);
    if (groups === 0) await page.getByTestId('groups-empty').waitFor();
    else
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="group-list"]')?.getAttribute('data-total') === String(n),
        groups,
        { polling: 100, timeout: 120_000 },
      );
    return run.profileDir;
  } catch (e) {
    run.remove();
    throw e;
  } finally {
    await run.close();
  }
}

/**
 * In the page before any of its scripts: notes `performance.now()` at the first animation frame after the list
 * is complete (`expected` group rows, or the empty-list message when 0) and reports it on the console. A console
 * message, not a polled `waitForFunction`: Playwright's first evaluation in a page compiles its injected script on
 * the page's main thread (~60 ms seen in a trace), which landed in the middle of the start being measured. A
 * string, not a function: tsx would wrap named inner functions in its `__name` helper, which does not exist in
 * the page.
 */
function listMarker(expected: number): string {
  return `(() => {
    const expected = ${JSON.stringify(expected)};
    const complete = () =>
      expected === 0
        ? document.querySelector('[data-testid="groups-empty"]') !== null
        : Number(document.querySelector('[data-testid="group-list"]')?.getAttribute('data-total')) >= expected &&
          document.querySelector('[data-testid="group-row"]') !== null;
    const observer = new MutationObserver(() => {
      if (window.__benchListMs !== undefined || !complete()) return;
      window.__benchListMs = -1;
      observer.disconnect();
      requestAnimationFrame(() => {
        window.__benchListMs = performance.now();
        console.debug(${JSON.stringify(LIST_MARK)} + window.__benchListMs);
      });
    });
    observer.observe(document, { childList: true, subtree: true });
  })();`;
}

/** One offline cold start: a new browser on the profile, offline, navigation start → list shown (ms). */
async function coldStart(profileDir: string, baseUrl: string, groups: number): Promise<number> {
  const run = await launchPersistent(profileDir, { viewport: VIEWPORT });
  try {
    run.context.setDefaultTimeout(30_000);
    await run.context.setOffline(true);
    await run.context.addInitScript(listMarker(groups));
    // A page opened after addInitScript (the profile's first, already open page does not get the script).
    const page = await run.context.newPage();
    const shownAt = page
      .waitForEvent('console', { predicate: (m) => m.text().startsWith(LIST_MARK), timeout: 30_000 })
      .then((m) => Number(m.text().slice(LIST_MARK.length)));
    shownAt.catch(() => {});
    const res = await page.goto(`${baseUrl}/`);
    if (!res?.fromServiceWorker()) throw new Error('the offline start was not served by the service worker');
    const ms = await shownAt.catch(async (e: unknown) => {
      const state = await page.evaluate(() => ({
        ms: (window as unknown as { __benchListMs?: number }).__benchListMs,
        rows: document.querySelectorAll('[data-testid="group-row"]').length,
        body: document.body?.innerText.slice(0, 300),
      }));
      throw new Error(`the group list did not complete: ${JSON.stringify(state)}`, { cause: e });
    });
    const shown = groups === 0 ? 0 : Number(await page.getByTestId('group-list').getAttribute('data-total'));
    if (shown !== groups) throw new Error(`cold start listed ${shown} groups, not ${groups}`);
    if (groups > 0 && !(await page.locator('[data-testid="group-row"]').first().isVisible()))
      throw new Error('the first group row is not visible');
    return ms;
  } finally {
    await run.close();
  }
}

async function runColdStart(groups: number, reps: number): Promise<BudgetsResult['coldStart']> {
  const result: BudgetsResult['coldStart'] = {
    groups,
    reps,
    skipped: null,
    withGroupsMs: [],
    emptyMs: [],
    medianMs: null,
    baselineMs: null,
    budgetMs: COLD_BUDGET_MS,
  };
  if (!browserAvailable()) return { ...result, skipped: 'no Chromium' };
  const server = await startServer(process.env['BENCH_DIST'] ? { env: { MUSTER_STATIC_DIR: DIST } } : {});
  const profiles: string[] = [];
  try {
    console.log(`  baseline profile: ${OFFICER} logs in online with no groups…`);
    const empty = await prepareProfile(server, 0);
    profiles.push(empty);
    console.log(`  starting ${groups} groups on the relay…`);
    await seedGroups(server, groups);
    console.log(`  measured profile: ${OFFICER} logs in online, the app stores ${groups} groups…`);
    const full = await prepareProfile(server, groups);
    profiles.push(full);
    const base = server.url;
    await server.stop();

    console.log(`  offline cold starts (one unmeasured each, then ${reps} alternating)…`);
    await coldStart(full, base, groups);
    await coldStart(empty, base, 0);
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? (['full', 'empty'] as const) : (['empty', 'full'] as const);
      for (const which of order) {
        if (which === 'full') result.withGroupsMs.push(await coldStart(full, base, groups));
        else result.emptyMs.push(await coldStart(empty, base, 0));
      }
    }
    result.medianMs = median(result.withGroupsMs);
    result.baselineMs = median(result.emptyMs);
    return result;
  } finally {
    await server.stop();
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
  }
}

export async function runBudgetsBench(): Promise<BudgetsResult> {
  const groups = envInt('BENCH_COLD_GROUPS', 2000, 1, 100_000);
  const reps = envInt('BENCH_COLD_REPS', 5, 1, 100);
  const skipBuild = process.env['BENCH_SKIP_BUILD'] === '1' || Boolean(process.env['BENCH_DIST']);
  if (!skipBuild || (!process.env['BENCH_DIST'] && !existsSync(join(DIST, 'index.html')))) {
    console.log('  building the app with Vite…');
    await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
  if (!existsSync(join(DIST, 'sw.js')) || !statSync(join(DIST, 'index.html')).isFile())
    throw new Error(`${DIST} is incomplete`);
  const files = initialJs();
  const initial = {
    files,
    gzipKB: kb(files.reduce((s, f) => s + f.gzipBytes, 0)),
    budgetKB: JS_BUDGET_KB,
  };
  const pre = precache();
  const coldStart = await runColdStart(groups, reps);

  const part = 'budgets';
  const rows = [
    row(part, 'initial JS, gzip -9', 'KB', initial.gzipKB, JS_BUDGET_KB, 'budget'),
    row(part, `  precache, ${pre.entries} files, gzip -9`, 'KB', pre.gzipKB, null, '-'),
    row(
      part,
      `offline cold start, ${groups} groups`,
      'ms',
      coldStart.medianMs,
      coldStart.baselineMs,
      '0 groups, same run',
    ),
    row(part, `  vs budget`, 'ms', coldStart.medianMs, COLD_BUDGET_MS, 'budget'),
  ];
  return { initialJs: initial, precache: pre, coldStart, rows };
}

export function printBudgets(r: BudgetsResult): void {
  console.log(`\nInitial JavaScript (index.html module script + modulepreloads + static imports, gzip -9)`);
  console.log(
    table(
      [
        ['file', 'raw KB', 'gzip KB'],
        ...r.initialJs.files.map((f) => [f.file, fmt(kb(f.bytes), 1), fmt(kb(f.gzipBytes), 1)]),
        ['total', '', fmt(r.initialJs.gzipKB, 1)],
        ['budget', '', fmt(r.initialJs.budgetKB, 0)],
      ],
      'lrr',
    ),
  );
  console.log(
    `  precache: ${r.precache.entries} files, ${fmt(r.precache.KB, 1)} KB raw, ${fmt(r.precache.gzipKB, 1)} KB gzip -9`,
  );
  const c = r.coldStart;
  if (c.skipped || c.medianMs === null) {
    console.log(`\nOffline cold start: skipped (${c.skipped})`);
    return;
  }
  console.log(
    `\nOffline cold start to the group list (fresh browser on a persistent profile each time, navigation start → ` +
      `first frame with the list; median of ${c.reps})`,
  );
  console.log(
    table([
      ['', 'median ms', 'runs (ms)'],
      [`${c.groups} groups`, fmt(c.medianMs, 1), c.withGroupsMs.map((m) => fmt(m, 0)).join(', ')],
      ['0 groups (baseline)', fmt(c.baselineMs, 1), c.emptyMs.map((m) => fmt(m, 0)).join(', ')],
      ['ratio', fmtRatio(ratio(c.medianMs, c.baselineMs)), ''],
      ['budget', fmt(c.budgetMs, 0), ''],
    ]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printBudgets(await runBudgetsBench());
  process.exit(0);
}
