/**
 * STATS-9: the statistics page's state: filters, the last figures, trend and ranking fetched (kept on the device
 * with their time, so they stay readable offline), and the drill-down list of a figure.
 */
import type {
  DrillFigure,
  StatsFiguresResponse,
  StatsGroupsResponse,
  StatsRankingResponse,
  StatsScopeResponse,
  StatsScopeWire,
  StatsTrendResponse,
  TrendBucket,
} from '@muster/protocol';
import { HttpError, isNetworkError } from '../sync/api.ts';

export interface StatsFilters {
  /** Days back from now. */
  days: number;
  unit: string;
  type: string;
  postKind: string;
  bucket: TrendBucket;
}

export interface StatsSnapshot {
  filters: StatsFilters;
  figures: StatsFiguresResponse;
  trend: StatsTrendResponse;
  ranking: StatsRankingResponse;
  /** STATS-6: the units the reader may see (the unit filter offers these only). */
  scope?: StatsScopeWire;
  /** Server time of the answer. */
  fetchedAt: number;
}

export type StatsError = { kind: 'offline' } | { kind: 'forbidden' } | { kind: 'invalid'; message: string };

const CACHE_KEY = 'muster.stats.last';
const DAY = 86_400_000;

/** The query string of the filters at server time `now` (days are whole days back from the next midnight, UTC+8). */
export function statsQuery(f: StatsFilters, now: number): Record<string, string> {
  const tz = 8 * 3_600_000;
  const to = Math.floor((now + tz) / DAY) * DAY + DAY - tz;
  const q: Record<string, string> = { from: String(to - f.days * DAY), to: String(to), tz: '480' };
  if (f.unit) q['unit'] = f.unit;
  if (f.type) q['type'] = f.type;
  if (f.postKind) q['postKind'] = f.postKind;
  return q;
}

function readCache(): StatsSnapshot | null {
  try {
    const raw = globalThis.localStorage?.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as StatsSnapshot) : null;
  } catch {
    return null;
  }
}

type Get = <T>(path: string) => Promise<T>;

export class StatsDashboard {
  filters = $state<StatsFilters>({ days: 30, unit: '', type: '', postKind: '', bucket: 'day' });
  snapshot = $state.raw<StatsSnapshot | null>(readCache());
  /** True while the figures shown are the cached ones and a newer fetch failed (offline). */
  stale = $state(false);
  loading = $state(false);
  error = $state<StatsError | null>(null);
  drill = $state.raw<{ figure: DrillFigure; postKind: string; answer: StatsGroupsResponse } | null>(null);
  /** STATS-6: the units the reader may see, as the server answered (kept with the offline copy). */
  scope = $state.raw<StatsScopeWire | null>(this.snapshot?.scope ?? null);

  readonly #get: Get;
  readonly #now: () => number;

  constructor(get: Get, now: () => number) {
    this.#get = get;
    this.#now = now;
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.error = null;
    const filters = $state.snapshot(this.filters);
    const qs = new URLSearchParams(statsQuery(filters, this.#now())).toString();
    try {
      const [figures, trend, ranking, scope] = await Promise.all([
        this.#get<StatsFiguresResponse>(`/api/stats/figures?${qs}`),
        this.#get<StatsTrendResponse>(`/api/stats/trend?${qs}&bucket=${filters.bucket}`),
        this.#get<StatsRankingResponse>(`/api/stats/ranking?${qs}&by=unit`),
        this.#get<StatsScopeResponse>('/api/stats/scope'),
      ]);
      this.scope = scope.scope;
      const snap: StatsSnapshot = {
        filters,
        figures,
        trend,
        ranking,
        scope: scope.scope,
        fetchedAt: figures.serverTime,
      };
      this.snapshot = snap;
      this.stale = false;
      this.drill = null;
      try {
        globalThis.localStorage?.setItem(CACHE_KEY, JSON.stringify(snap));
      } catch {
        // A full storage keeps the figures on screen; only the offline copy is missed.
      }
    } catch (e) {
      this.error = errorOf(e);
      if (this.error.kind === 'offline') this.stale = this.snapshot !== null;
    } finally {
      this.loading = false;
    }
  }

  async drillDown(figure: DrillFigure, postKind = ''): Promise<void> {
    const snap = this.snapshot;
    if (!snap) return;
    const q = new URLSearchParams({
      ...statsQuery(snap.filters, snap.fetchedAt),
      figure,
      limit: '200',
      ...(postKind ? { postKind } : {}),
    });
    try {
      const answer = await this.#get<StatsGroupsResponse>(`/api/stats/groups?${q.toString()}`);
      this.drill = { figure, postKind, answer };
    } catch (e) {
      this.error = errorOf(e);
    }
  }

  /** The CSV export of a table, for the filters shown (fetched with the token, then saved by the browser). */
  exportPath(table: 'figures' | 'trend' | 'ranking' | 'groups'): string | null {
    const snap = this.snapshot;
    if (!snap) return null;
    const q = new URLSearchParams({ ...statsQuery(snap.filters, snap.fetchedAt), table, bucket: snap.filters.bucket });
    return `/api/stats/export?${q.toString()}`;
  }
}

function errorOf(e: unknown): StatsError {
  if (e instanceof HttpError && e.status === 403) return { kind: 'forbidden' };
  if (isNetworkError(e)) return { kind: 'offline' };
  return { kind: 'invalid', message: e instanceof Error ? e.message : String(e) };
}
