/** The summary rows every part returns: a figure beside the baseline measured in the same run. */
import { fmt, fmtRatio, ratio, table } from './stats.ts';

export interface SummaryRow {
  part: string;
  metric: string;
  unit: string;
  /** The figure under test (Muster's relay, y-dexie); null when it could not be measured. */
  value: number | null;
  /** The same figure for the baseline (reference relay, y-indexeddb). */
  baseline: number | null;
  baselineLabel: string;
  /** value / baseline. */
  ratio: number | null;
}

export function row(
  part: string,
  metric: string,
  unit: string,
  value: number | null | undefined,
  baseline: number | null | undefined,
  baselineLabel: string,
): SummaryRow {
  const r = ratio(value, baseline);
  return {
    part,
    metric,
    unit,
    value: value ?? null,
    baseline: baseline ?? null,
    baselineLabel,
    ratio: Number.isFinite(r) ? r : null,
  };
}

export function summaryTable(rows: SummaryRow[]): string {
  return table(
    [
      ['part', 'metric', 'value', 'baseline', 'ratio', 'baseline is'],
      ...rows.map((r) => [
        r.part,
        `${r.metric} (${r.unit})`,
        fmt(r.value),
        fmt(r.baseline),
        fmtRatio(r.ratio),
        r.baselineLabel,
      ]),
    ],
    'llrrrl',
  );
}
