/**
 * STATS-4/STATS-6/STATS-7: the statistics API under /api/stats. Every read names its range and filters, is limited
 * to the units the asker may read (core `statsScope`), and is audited (`stats-read`) before it is answered.
 *   GET /api/stats/scope                       units the asker may read, incident types seen
 *   GET /api/stats/figures?from&to&unit&type&postKind&postId
 *   GET /api/stats/trend?…&bucket=day|week&tz=<minutes east of UTC, default 480>
 *   GET /api/stats/ranking?…&by=unit|subBureau
 *   GET /api/stats/groups?…&figure=<DrillFigure>&limit&offset
 *   GET /api/stats/export?…&table=figures|trend|ranking|groups   (text/csv)
 */
import type { IncomingMessage } from 'node:http';
import { POST_KINDS, statsScope } from '@muster/core';
import type { Directory, PostKind, StatsScope } from '@muster/core';
import { HttpError } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import { sendJson } from '../http/respond.ts';
import type { Authenticate, Handler, Routes } from '../http/router.ts';
import { toCsv } from './csv.ts';
import type { StatsProjector } from './projector.ts';
import { DRILL_FIGURES } from './statsStore.ts';
import type { DrillFigure, StatsQuery, StatsStore } from './statsStore.ts';

export interface StatsApiDeps {
  stats: StatsStore;
  projector: StatsProjector;
  clock: Clock;
  audit: Auditor;
  directory: () => Directory;
}

const MAX_RANGE_MS = 400 * 86_400_000;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function num(params: URLSearchParams, key: string, fallback: number | null): number {
  const raw = params.get(key);
  if (raw === null || raw === '') {
    if (fallback === null) throw new HttpError(400, 'invalid-request', `${key} is required (ms since epoch)`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new HttpError(400, 'invalid-request', `${key} must be an integer`);
  return n;
}

function id(params: URLSearchParams, key: string): string | null {
  const v = params.get(key);
  if (v === null || v === '') return null;
  if (!ID.test(v)) throw new HttpError(400, 'invalid-request', `${key} is not a valid id`);
  return v;
}

function oneOf<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const v = params.get(key);
  if (v === null || v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new HttpError(400, 'invalid-request', `${key} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** The query of a request: range, filters, and the units the asker may see (STATS-6). */
export function parseStatsQuery(params: URLSearchParams, scope: StatsScope, dir: Directory, now: number): StatsQuery {
  const to = num(params, 'to', now);
  const from = num(params, 'from', to - 30 * 86_400_000);
  if (from >= to) throw new HttpError(400, 'invalid-request', 'from must be before to');
  if (to - from > MAX_RANGE_MS) throw new HttpError(400, 'invalid-request', 'the range is at most 400 days');
  const unit = id(params, 'unit');
  let unitIds: string[] | null = scope.all ? null : scope.unitIds;
  if (unit) {
    if (!dir.unit(unit)) throw new HttpError(400, 'invalid-request', `unknown unit ${unit}`);
    const below = [unit, ...dir.descendantsOf(unit).map((u) => u.id)];
    unitIds = unitIds ? below.filter((u) => unitIds!.includes(u)) : below;
    if (unitIds.length === 0) throw new HttpError(403, 'forbidden', `you may not read the statistics of ${unit}`);
  }
  const kind = params.get('postKind');
  if (kind && !POST_KINDS.includes(kind as PostKind)) {
    throw new HttpError(400, 'invalid-request', `postKind must be one of ${POST_KINDS.join(', ')}`);
  }
  const type = params.get('type');
  if (type !== null && type.length > 64) throw new HttpError(400, 'invalid-request', 'type is too long');
  return {
    from,
    to,
    now,
    unitIds,
    incidentType: type || null,
    postKind: (kind || null) as PostKind | null,
    postId: id(params, 'postId'),
  };
}

export function statsRoutes(deps: StatsApiDeps, authenticate: Authenticate): Routes {
  /** Authenticates, decides the scope, parses the query and audits the read; 403 for persons with no scope. */
  const begin = async (req: IncomingMessage, what: string) => {
    const claims = await authenticate(req);
    const dir = deps.directory();
    const scope = statsScope(dir, { personId: claims.sub, unitId: claims.unitId, roles: claims.roles });
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    if (!scope.all && scope.unitIds.length === 0) {
      await deps.audit.record({
        action: AuditAction.accessRefused,
        actor: claims.sub,
        detail: { stats: what, reason: 'no-statistics-scope' },
      });
      throw new HttpError(403, 'forbidden', 'statistics are for leaders and auditors');
    }
    const q = what === 'scope' ? null : parseStatsQuery(params, scope, dir, deps.clock.now());
    await deps.audit.record({
      action: 'stats-read',
      actor: claims.sub,
      detail: { what, query: Object.fromEntries(params), scope: scope.all ? 'all' : scope.unitIds },
    });
    await deps.projector.syncDuty();
    return { claims, scope, params, q: q!, dir };
  };

  const figures: Handler = async (req, res) => {
    const { q } = await begin(req, 'figures');
    sendJson(res, 200, { query: q, figures: await deps.stats.figures(q), serverTime: deps.clock.now() });
  };
  const tz = (params: URLSearchParams): number => {
    const n = num(params, 'tz', 480);
    if (Math.abs(n) > 14 * 60) throw new HttpError(400, 'invalid-request', 'tz is minutes east of UTC, ±840');
    return n;
  };
  const trend: Handler = async (req, res) => {
    const { q, params } = await begin(req, 'trend');
    const bucket = oneOf(params, 'bucket', ['day', 'week'] as const, 'day');
    const points = await deps.stats.trend(q, bucket, tz(params));
    sendJson(res, 200, { query: q, bucket, points, serverTime: deps.clock.now() });
  };
  const ranking: Handler = async (req, res) => {
    const { q, params } = await begin(req, 'ranking');
    const by = oneOf(params, 'by', ['unit', 'subBureau'] as const, 'unit');
    sendJson(res, 200, { query: q, by, rows: await deps.stats.ranking(q, by), serverTime: deps.clock.now() });
  };
  const page = (params: URLSearchParams, max: number) => {
    const limit = num(params, 'limit', 100);
    const offset = num(params, 'offset', 0);
    if (limit < 1 || limit > max || offset < 0) {
      throw new HttpError(400, 'invalid-request', `limit is 1–${max}, offset ≥ 0`);
    }
    return { limit, offset };
  };
  const groups: Handler = async (req, res) => {
    const { q, params } = await begin(req, 'groups');
    const figure = oneOf<DrillFigure>(params, 'figure', DRILL_FIGURES, 'started');
    const out = await deps.stats.groups(q, figure, page(params, 1000));
    sendJson(res, 200, { query: q, figure, ...out, serverTime: deps.clock.now() });
  };
  const scopeRoute: Handler = async (req, res) => {
    const { scope } = await begin(req, 'scope');
    sendJson(res, 200, { scope, serverTime: deps.clock.now() });
  };
  const exportCsv: Handler = async (req, res) => {
    const { q, params } = await begin(req, 'export');
    const table = oneOf(params, 'table', ['figures', 'trend', 'ranking', 'groups'] as const, 'figures');
    let csv: string;
    if (table === 'figures') {
      const f = await deps.stats.figures(q);
      const { signOff, byKind, byPost, onDuty, ...counts } = f;
      csv =
        toCsv([counts]) +
        '\n' +
        toCsv([
          { scope: 'all', ...signOff },
          ...byKind.map(({ postKind, ...s }) => ({ scope: `kind:${postKind}`, ...s })),
          ...byPost.map(({ postId, postKind, ...s }) => ({ scope: `post:${postId}:${postKind}`, ...s })),
        ]) +
        '\n' +
        toCsv([onDuty]);
    } else if (table === 'trend') {
      const bucket = oneOf(params, 'bucket', ['day', 'week'] as const, 'day');
      const points = await deps.stats.trend(q, bucket, tz(params));
      csv = toCsv(points.map((p) => ({ day: new Date(p.at).toISOString(), ...p })));
    } else if (table === 'ranking') {
      const by = oneOf(params, 'by', ['unit', 'subBureau'] as const, 'unit');
      csv = toCsv(await deps.stats.ranking(q, by));
    } else {
      const figure = oneOf<DrillFigure>(params, 'figure', DRILL_FIGURES, 'started');
      csv = toCsv((await deps.stats.groups(q, figure, page(params, 200_000))).rows);
    }
    const body = '\ufeff' + csv;
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="muster-stats-${table}.csv"`,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };
  return {
    '/api/stats/scope': { GET: scopeRoute },
    '/api/stats/figures': { GET: figures },
    '/api/stats/trend': { GET: trend },
    '/api/stats/ranking': { GET: ranking },
    '/api/stats/groups': { GET: groups },
    '/api/stats/export': { GET: exportCsv },
  };
}
