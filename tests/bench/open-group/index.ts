/**
 * Open-group benchmark: a group of 5,000 findings stored in IndexedDB in headless Chromium, opened with y-dexie
 * (the app's persistence) and with y-indexeddb (baseline), each open in a freshly reloaded page, alternating
 * the order; medians and the ratio y-dexie / y-indexeddb. Figures are printed, never asserted.
 *
 *   tsx tests/bench/open-group/index.ts
 *
 * Knobs: BENCH_OPEN_ENTRIES (5000), BENCH_OPEN_BATCH entries per stored update (50), BENCH_OPEN_REPS (9).
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { browserAvailable, launchBrowser } from '../../helpers/browser.ts';
import { envInt, fmt, fmtRatio, median, ratio, table } from '../lib/stats.ts';
import { row } from '../lib/summary.ts';
import type { SummaryRow } from '../lib/summary.ts';
import type { Bench, Kind, OpenResult, WriteResult } from './page/main.ts';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');
const KINDS: Kind[] = ['y-dexie', 'y-indexeddb'];

export interface OpenGroupResult {
  options: { entries: number; batch: number; reps: number };
  skipped: string | null;
  writes: WriteResult[];
  opens: OpenResult[];
  medians: Record<Kind, { loadMs: number; timelineMs: number; totalMs: number }> | null;
  rows: SummaryRow[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(dir, '.' + normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

export async function runOpenGroupBench(): Promise<OpenGroupResult> {
  const options = {
    entries: envInt('BENCH_OPEN_ENTRIES', 5000, 1, 1_000_000),
    batch: envInt('BENCH_OPEN_BATCH', 50, 1, 1_000_000),
    reps: envInt('BENCH_OPEN_REPS', 9, 1, 1000),
  };
  if (!browserAvailable()) {
    return { options, skipped: 'no Chromium', writes: [], opens: [], medians: null, rows: [] };
  }
  const outDir = mkdtempSync(join(tmpdir(), 'muster-bench-page-'));
  let server: { url: string; close: () => Promise<void> } | null = null;
  const browser = await launchBrowser();
  try {
    console.log('  building the page with Vite…');
    await build({
      configFile: false,
      root: PAGE_DIR,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    });
    server = await serve(outDir);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    const ready = async (): Promise<void> => {
      await page.waitForFunction(() => 'bench' in window);
    };
    await ready();

    const writes: WriteResult[] = [];
    for (const kind of KINDS) {
      console.log(`  writing ${options.entries} findings through ${kind} in batches of ${options.batch}…`);
      writes.push(
        await page.evaluate(([k, n, b]) => (window as unknown as { bench: Bench }).bench.write(k, n, b), [
          kind,
          options.entries,
          options.batch,
        ] as const),
      );
    }
    const openFresh = async (kind: Kind): Promise<OpenResult> => {
      await page.reload();
      await ready();
      const r = await page.evaluate((k) => (window as unknown as { bench: Bench }).bench.open(k), kind);
      if (r.entries !== options.entries) throw new Error(`${kind} opened ${r.entries} entries, not ${options.entries}`);
      return r;
    };
    // One unmeasured open of each warms the disk cache and the page's code for both alike.
    for (const kind of KINDS) await openFresh(kind);
    const opens: OpenResult[] = [];
    for (let i = 0; i < options.reps; i++) {
      for (const kind of i % 2 === 0 ? KINDS : [...KINDS].reverse()) opens.push(await openFresh(kind));
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    await context.close();

    const med = (kind: Kind): { loadMs: number; timelineMs: number; totalMs: number } => {
      const mine = opens.filter((o) => o.kind === kind);
      return {
        loadMs: median(mine.map((o) => o.loadMs)),
        timelineMs: median(mine.map((o) => o.timelineMs)),
        totalMs: median(mine.map((o) => o.totalMs)),
      };
    };
    const medians = { 'y-dexie': med('y-dexie'), 'y-indexeddb': med('y-indexeddb') };
    const part = 'open-group';
    const label = `y-indexeddb 9, same page/run`;
    const n = options.entries.toLocaleString('en');
    const rows = [
      row(
        part,
        `open ${n} entries, load + timeline`,
        'ms',
        medians['y-dexie'].totalMs,
        medians['y-indexeddb'].totalMs,
        label,
      ),
      row(part, `  load from IndexedDB`, 'ms', medians['y-dexie'].loadMs, medians['y-indexeddb'].loadMs, label),
      row(part, `  timeline(doc)`, 'ms', medians['y-dexie'].timelineMs, medians['y-indexeddb'].timelineMs, label),
    ];
    return { options, skipped: null, writes, opens, medians, rows };
  } finally {
    await browser.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function printOpenGroup(r: OpenGroupResult): void {
  if (r.skipped || !r.medians) {
    console.log(`\nOpen group: skipped (${r.skipped})`);
    return;
  }
  console.log(
    `\nOpen a group of ${r.options.entries} findings from IndexedDB in Chromium ` +
      `(stored in batches of ${r.options.batch}: ${r.writes.map((w) => `${w.kind} ${w.storedUpdates} updates`).join(', ')}; ` +
      `median of ${r.options.reps} opens each, alternating order, fresh page each)`,
  );
  const lines = [['median (ms)', 'y-dexie', 'y-indexeddb', 'y-dexie/y-indexeddb']];
  for (const key of ['totalMs', 'loadMs', 'timelineMs'] as const) {
    const d = r.medians['y-dexie'][key];
    const i = r.medians['y-indexeddb'][key];
    lines.push([key.replace('Ms', ''), fmt(d), fmt(i), fmtRatio(ratio(d, i))]);
  }
  console.log(table(lines));
  for (const kind of KINDS) {
    console.log(
      `  ${kind} totals: ${r.opens
        .filter((o) => o.kind === kind)
        .map((o) => fmt(o.totalMs, 1))
        .join(', ')} ms`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printOpenGroup(await runOpenGroupBench());
  process.exit(0);
}
