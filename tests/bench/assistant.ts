/**
 * The look-up assistant (ASSIST-1, ASSIST-9): parser accuracy on the labelled questions (tests/assistant), with
 * precision and recall per intent, beside the ASSIST-1 budget (95%); and look-up latency over the SQLite demo
 * sources at full scale (hotel stays: 1,000,000 rows), p50/p99 beside the issue's budget (p99 ≤ 50 ms); and the
 * answer end to end over the real relay, question on one device to answer on another, beside a finding's round
 * trip over the same relay and the issue's 1 s (assistantLatency.ts). The demo data is generated once into
 * BENCH_LOOKUP_DIR (default: <tmp>/muster-bench-lookup, reused while complete).
 * Knobs: BENCH_LOOKUP_SCALE (default 1), BENCH_LOOKUPS (default 2000), BENCH_ASSIST_E2E (default 60).
 */
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseQuestion } from '@muster/core';
import { DEMO_ROWS, generateDemoLookupData } from '../../sync-server/src/assistant/demoLookupData.ts';
import { demoSources } from '../../sync-server/src/assistant/demoSources.ts';
import { loadLabelled, score } from '../assistant/lookupLabels.ts';
import { runAssistantE2e } from './assistantLatency.ts';
import type { AssistantE2eResult } from './assistantLatency.ts';
import type { PerLabel } from '../assistant/lookupLabels.ts';
import { percentile, table } from './lib/stats.ts';
import { row } from './lib/summary.ts';
import type { SummaryRow } from './lib/summary.ts';

export interface AssistantBenchResult {
  parser: { accuracy: number; total: number; perLabel: PerLabel[]; microsPerQuestion: number };
  lookup: {
    scale: number;
    lodgingRows: number;
    generatedMs: number;
    lookups: number;
    byCase: { case: string; p50: number; p99: number }[];
  };
  e2e: AssistantE2eResult;
  rows: SummaryRow[];
}

export async function runAssistantBench(): Promise<AssistantBenchResult> {
  const items = loadLabelled();
  const s = score(items, parseQuestion);
  const t0 = performance.now();
  const reps = 20;
  for (let i = 0; i < reps; i++) for (const it of items) parseQuestion(it.q, it.context);
  const microsPerQuestion = ((performance.now() - t0) * 1000) / (reps * items.length);

  const scale = Number(process.env['BENCH_LOOKUP_SCALE'] ?? 1);
  const lookups = Number(process.env['BENCH_LOOKUPS'] ?? 2000);
  const dir = process.env['BENCH_LOOKUP_DIR'] ?? path.join(os.tmpdir(), 'muster-bench-lookup');
  const g0 = performance.now();
  const file = await generateDemoLookupData(dir, scale);
  const generatedMs = performance.now() - g0;
  const db = new Database(file, { readonly: true });
  const sources = new Map(demoSources(db).map((x) => [x.info.id, x]));
  const persons = db.prepare('SELECT key, id_no AS idNo, name FROM persons ORDER BY key').all() as {
    key: string;
    idNo: string;
    name: string;
  }[];
  const lodgingRows = (db.prepare('SELECT count(*) AS n FROM lodging').get() as { n: number }).n;
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const cases: { case: string; run: () => Promise<unknown> }[] = [
    {
      case: 'hotel stays by person (1M rows)',
      run: () =>
        sources.get('lodging')!.query({ by: 'person', value: persons[next() % persons.length]!.key, limit: 20 }),
    },
    {
      case: 'person by ID number',
      run: () => sources.get('persons')!.query({ by: 'id', value: persons[next() % persons.length]!.idNo, limit: 20 }),
    },
    {
      case: 'person by name',
      run: () =>
        sources.get('persons')!.query({ by: 'name', value: persons[next() % persons.length]!.name, limit: 20 }),
    },
    {
      case: 'ride-hailing by person',
      run: () =>
        sources.get('ride-hailing')!.query({ by: 'person', value: persons[next() % persons.length]!.key, limit: 20 }),
    },
  ];
  const byCase: AssistantBenchResult['lookup']['byCase'] = [];
  for (const c of cases) {
    for (let i = 0; i < 50; i++) await c.run(); // warm the page cache and the prepared statements
    const samples: number[] = [];
    for (let i = 0; i < lookups; i++) {
      const a = performance.now();
      await c.run();
      samples.push(performance.now() - a);
    }
    byCase.push({ case: c.case, p50: percentile(samples, 50), p99: percentile(samples, 99) });
  }
  const sample = <T>(sql: string): T[] => db.prepare(sql).all() as T[];
  const subjects = {
    persons: sample<{ idNo: string; name: string; birthYear: number }>(
      'SELECT id_no AS idNo, name, birth_year AS birthYear FROM persons ORDER BY key LIMIT 40',
    ),
    phones: sample<{ number: string }>('SELECT number FROM phones ORDER BY number DESC LIMIT 40').map((r) => r.number),
    plates: sample<{ plate: string }>('SELECT plate FROM vehicles ORDER BY plate DESC LIMIT 40').map((r) => r.plate),
  };
  db.close();
  const e2e = await runAssistantE2e(file, scale, subjects);
  const worstP99 = Math.max(...byCase.map((c) => c.p99));
  const rows: SummaryRow[] = [
    row('assistant', 'parser accuracy (labelled set)', 'share', s.accuracy, 0.95, 'ASSIST-1 budget'),
    row('assistant', 'parser time per question', 'µs', microsPerQuestion, null, ''),
    row('assistant', `look-up p99, worst case (scale ${scale})`, 'ms', worstP99, 50, 'issue budget'),
    row('assistant', 'hotel stays look-up p99 (1M rows)', 'ms', byCase[0]!.p99, 50, 'issue budget'),
    row('assistant', 'answer on another device p50', 'ms', e2e.answer.p50, e2e.baseline.p50, 'finding, same relay'),
    row('assistant', 'answer on another device p99', 'ms', e2e.answer.p99, e2e.baseline.p99, 'finding, same relay'),
    row('assistant', 'answer on another device p99', 'ms', e2e.answer.p99, 1000, 'issue budget'),
  ];
  return {
    parser: { accuracy: s.accuracy, total: s.total, perLabel: s.perLabel, microsPerQuestion },
    lookup: { scale, lodgingRows, generatedMs, lookups, byCase },
    e2e,
    rows,
  };
}

export function printAssistant(r: AssistantBenchResult): void {
  console.log(
    `parser: ${(r.parser.accuracy * 100).toFixed(1)}% of ${r.parser.total} labelled questions read exactly; ` +
      `${r.parser.microsPerQuestion.toFixed(0)} µs per question`,
  );
  console.log(
    table([
      ['label', 'precision', 'predicted', 'recall', 'labelled'],
      ...r.parser.perLabel.map((p) => [
        p.label,
        p.precision.toFixed(3),
        String(p.predicted),
        p.recall.toFixed(3),
        String(p.labelled),
      ]),
    ]),
  );
  console.log(
    `look-ups: scale ${r.lookup.scale} (hotel stays ${r.lookup.lodgingRows} rows; at scale 1 ${DEMO_ROWS.lodging}), ` +
      `data ready in ${(r.lookup.generatedMs / 1000).toFixed(1)} s, ${r.lookup.lookups} look-ups per case`,
  );
  console.log(
    table([['case', 'p50 ms', 'p99 ms'], ...r.lookup.byCase.map((c) => [c.case, c.p50.toFixed(3), c.p99.toFixed(3)])]),
  );
  const e = r.e2e;
  console.log(
    `end to end over the relay: ${e.questions} questions (${Object.entries(e.statuses)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}), question on one device → answer on another; baseline: a finding, same devices, interleaved`,
  );
  const line = (name: string, f: typeof e.answer): string[] => [
    name,
    f.p50.toFixed(1),
    f.p95.toFixed(1),
    f.p99.toFixed(1),
    f.max.toFixed(1),
  ];
  console.log(
    table([
      ['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      line('answer visible', e.answer),
      line('finding visible (baseline)', e.baseline),
    ]),
  );
}
