/**
 * The SQL every StatsStore's dashboard queries share (SQLite and PostgreSQL both read it): how a query splits into
 * rollup days and raw edges (STATS-10), its WHERE clauses with named parameters (`@name`), and the keys it counts
 * under.
 */
import { ROLLUP_TZ_MINUTES, bucketOfDay, splitRange, sumByKey } from './rollup.ts';
import type { Period, SplitRange } from './rollup.ts';
import type { StatsQuery, TrendBucket } from './statsStore.ts';

const DAY = 86_400_000;

export type Params = Record<string, string | number | null>;
export interface Span {
  from: number;
  to: number;
}

/** What rows are counted under: nothing, a trend bucket in a time zone, the unit, the sub-bureau. */
export type KeySpec =
  | { kind: 'none' }
  | { kind: 'time'; bucket: TrendBucket; tzMinutes: number }
  | { kind: 'unit' }
  | { kind: 'subBureau' };
export type Key = string | number | null;

export interface Counters {
  key: Key;
  started: number;
  closed: number;
  closedTimely: number;
  escalations: number;
  groupsEscalated: number;
  participantTimes: number;
  onTime: number;
  late: number;
}

/**
 * The rollup spans and raw edges of a query (all raw when its trend zone is not the rollups', or without rollups:
 * the bench's same-run baseline; `days`: day rollups only, the bench's other baseline); trends read days, never
 * four-week blocks.
 */
export function split(q: StatsQuery, key: KeySpec, rollups: boolean | 'days'): SplitRange {
  if (!rollups || (key.kind === 'time' && key.tzMinutes !== ROLLUP_TZ_MINUTES)) return { periods: [], edges: [q] };
  return splitRange(q.from, q.to, rollups !== 'days' && key.kind !== 'time');
}

function filters(q: StatsQuery, parts: string[], params: Params, cols: { unit: string; type: string }, post: boolean) {
  if (q.unitIds) {
    // Literal parameters, not json_each: the planner then checks each row against a small in-memory list.
    const names = q.unitIds.map((u, k) => {
      params[`u${k}`] = u;
      return `@u${k}`;
    });
    parts.push(names.length ? `${cols.unit} IN (${names.join(', ')})` : 'false');
  }
  if (q.incidentType) {
    parts.push(`${cols.type} = @type`);
    params.type = q.incidentType;
  }
  if (post && q.postKind) {
    parts.push('post_kind = @postKind');
    params.postKind = q.postKind;
  }
  if (post && q.postId) {
    parts.push('post_id = @postId');
    params.postId = q.postId;
  }
}

/** WHERE over a per-group table (column prefix `` for groups, `g_` for invitations and participants) in a span. */
export function whereRaw(q: StatsQuery, span: Span, p: '' | 'g_', post: boolean): { sql: string; params: Params } {
  const parts = [`${p}started_at >= @from`, `${p}started_at < @to`];
  const params: Params = { from: span.from, to: span.to, now: q.now };
  filters(q, parts, params, { unit: `${p}unit_id`, type: `${p}incident_type` }, post);
  return { sql: parts.join(' AND '), params };
}

/** WHERE over a rollup table for the rows of one span starting in [d0, d1). */
export function whereDays(q: StatsQuery, d: Period, post: boolean) {
  const parts = ['span = @span', 'day >= @d0', 'day < @d1'];
  const params: Params = { span: d.span, d0: d.d0, d1: d.d1, now: q.now };
  filters(q, parts, params, { unit: 'unit_id', type: 'incident_type' }, post);
  return { sql: parts.join(' AND '), params };
}

/** The key expression over the groups table (columns prefixed with `g`, e.g. `g.`). */
export function rawKey(k: KeySpec, g: string): string {
  if (k.kind === 'none') return '0';
  if (k.kind === 'unit') return `${g}unit_id`;
  if (k.kind === 'subBureau') return `${g}sub_bureau_id`;
  const size = k.bucket === 'day' ? DAY : 7 * DAY;
  // Day 0 of the epoch was a Thursday: three days more make weeks start on Monday.
  const shift = k.tzMinutes * 60_000 + (k.bucket === 'week' ? 3 * DAY : 0);
  return `(((${g}started_at + ${shift}) / ${size}) * ${size} - ${shift})`;
}

export const dayKey = (k: KeySpec): string =>
  k.kind === 'none'
    ? '0'
    : k.kind === 'unit'
      ? 'unit_id'
      : k.kind === 'subBureau'
        ? "nullif(sub_bureau_id, '')"
        : 'day';

/** Rollup keys are days for a trend: the bucket's start time, summed. */
export function rekey<R extends { key: Key }>(k: KeySpec, rows: R[]): R[] {
  if (k.kind !== 'time') return rows;
  return sumByKey([rows.map((r) => ({ ...r, key: bucketOfDay(Number(r.key), k.bucket) }))]);
}
