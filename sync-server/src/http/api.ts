/**
 * The JSON API under /api: health, me, groups, device policy, approval types and the test clock (when enabled) are
 * here; login and sessions, directory, audit, statistics, look-ups and photos come from their own modules as route
 * tables, all served by the one router (router.ts).
 */
import { mayAdminister } from '@muster/core';
import type { ApprovalType } from '@muster/core';
import { HttpError, ReadAction } from '@muster/protocol';
import type {
  ApprovalTypesResponse,
  ClockResponse,
  DevicePolicyResponse,
  GroupListResponse,
  HealthResponse,
  MeResponse,
  TokenClaims,
} from '@muster/protocol';
import { authRoutes } from '../auth/authRoutes.ts';
import type { AuthRouteDeps } from '../auth/authRoutes.ts';
import { ManualClock } from '../clock.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { readJsonBody } from './body.ts';
import { groupListPage } from './groupList.ts';
import type { ListChanges } from './listChanges.ts';
import { directoryRoutes, personView } from './directoryApi.ts';
import type { DirectoryApiDeps } from './directoryApi.ts';
import { auditRoutes } from './auditApi.ts';
import type { AuditApiDeps } from './auditApi.ts';
import { inboxArchiveRoutes } from './inboxArchiveApi.ts';
import { PHOTOS_PREFIX, photoRoutes } from './photos.ts';
import type { PhotoDeps } from './photos.ts';
import { sendJson } from './respond.ts';
import { bodyObject, createRouter } from './router.ts';
import type { Authenticate, Handler, Routes } from './router.ts';
import { statsRoutes } from '../stats/statsApi.ts';
import type { StatsApiDeps } from '../stats/statsApi.ts';

export interface ApiDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  /** Sessions, refresh, revocation, login throttling (auth/authRoutes.ts). */
  auth: Pick<AuthRouteDeps, 'sessions' | 'throttle' | 'audit' | 'registry'>;
  /** Directory, duty and templates routes (directoryApi.ts). */
  workflow: Pick<DirectoryApiDeps, 'directory' | 'templates' | 'onDutyStarted'>;
  /** LOCK-2: minutes of inactivity before a device locks the app (`GET /api/device-policy`); default 5. */
  lockMinutes?: number;
  /** KEEP-1: days a closed group stays on a device (`GET /api/device-policy`); default 30. */
  closedRetentionDays?: number;
  /** APR-1: the approval types (`GET /api/approval-types`), validated at start. */
  approvalTypes: readonly ApprovalType[];
  /** PHOTO-2..5: `/api/photos/<sha256>` (photos.ts). */
  photos: PhotoDeps;
  /** AUDIT-4/AUDIT-5/AUDIT-6: `GET /api/audit`, `GET /api/audit/head`, `POST /api/audit/reads` (auditApi.ts). */
  reads: Pick<AuditApiDeps, 'canOpen' | 'mayReadAudit' | 'head'>;
  /** STATS-4: the statistics routes under /api/stats (stats/statsApi.ts). */
  stats: StatsApiDeps;
  /** HIST-1: `GET /api/groups/changes`, the stream telling open apps their list changed. */
  listChanges?: ListChanges;
  /** ASSIST-6: the look-up routes (reveal, sources), given the API's bearer-token check. */
  lookup: (authenticate: Authenticate) => Routes;
}

export function createApi(deps: ApiDeps): Handler {
  const { store, clock, log } = deps;
  const audit = deps.auth.audit;

  const authenticate: Authenticate = async (req) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const claims: TokenClaims | null = m ? await deps.auth.sessions.verifyAccess(m[1]!) : null;
    if (!claims) throw new HttpError(401, 'unauthorized', 'log in first (Authorization: Bearer <token>)');
    return claims;
  };

  const me: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const person = await store.getPerson(claims.sub);
    if (!person) throw new HttpError(401, 'unauthorized', 'this person no longer exists');
    const out: MeResponse = { person: await personView(store, person), serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const groups: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    // HIST-1: a page of the list index after the device's cursor (initiator, on duty at an invited or addressed
    // post, an overseeing leader on duty (SUP-1), an addressed person (ACL-8); admins and auditors every group).
    const out: GroupListResponse = await groupListPage(
      store,
      claims,
      deps.workflow.directory.current,
      query,
      clock.now(),
    );
    // AUDIT-5: who listed which groups.
    await audit.record({ action: ReadAction.groupList, actor: claims.sub, detail: { count: out.groups.length } });
    sendJson(res, 200, out);
  };

  const devicePolicy: Handler = async (req, res) => {
    await authenticate(req);
    const out: DevicePolicyResponse = {
      lockMinutes: deps.lockMinutes ?? 5,
      closedRetentionDays: deps.closedRetentionDays ?? 30,
      serverTime: clock.now(),
    };
    sendJson(res, 200, out);
  };

  const health: Handler = async (_req, res) => {
    const out: HealthResponse = { ok: true, serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const routes: Routes = {
    '/api/health': { GET: health, HEAD: health },
    '/api/me': { GET: me },
    '/api/groups': { GET: groups },
    '/api/device-policy': { GET: devicePolicy },
    ...authRoutes({
      ...deps.auth,
      store,
      clock,
      log,
      maxBodyBytes: deps.maxBodyBytes,
      authenticate,
      showPerson: (p) => personView(store, p),
    }),
    ...directoryRoutes({ store, clock, log, maxBodyBytes: deps.maxBodyBytes, audit, ...deps.workflow }, authenticate),
  };
  if (clock instanceof ManualClock) routes['/api/test/clock'] = { POST: testClockRoute(deps, clock, authenticate) };
  const getApprovalTypes: Handler = async (req, res) => {
    await authenticate(req);
    const out: ApprovalTypesResponse = { types: [...deps.approvalTypes] };
    sendJson(res, 200, out);
  };
  routes['/api/approval-types'] = { GET: getApprovalTypes };
  const reads = { store, clock, audit, maxBodyBytes: deps.maxBodyBytes, ...deps.reads };
  Object.assign(routes, auditRoutes(reads, authenticate), statsRoutes(deps.stats, authenticate));
  if (deps.listChanges) routes['/api/groups/changes'] = { GET: deps.listChanges.handler(authenticate) };
  Object.assign(routes, deps.lookup(authenticate));
  Object.assign(routes, inboxArchiveRoutes({ store, clock }, authenticate));

  return createRouter({ routes, prefixes: { [PHOTOS_PREFIX]: photoRoutes(deps.photos, authenticate) }, log });
}

/** `POST /api/test/clock {advanceMs} | {set}`: moves the test clock (SAFE-2: admins only). */
function testClockRoute(deps: ApiDeps, clock: ManualClock, authenticate: Authenticate): Handler {
  return async (req, res) => {
    const claims = await authenticate(req);
    if (!mayAdminister(claims).ok) throw new HttpError(403, 'forbidden', 'only an admin may move the clock');
    const b = bodyObject(await readJsonBody(req, deps.maxBodyBytes));
    let now: number;
    try {
      if (typeof b['advanceMs'] === 'number') now = clock.advance(b['advanceMs']);
      else if (typeof b['set'] === 'number') now = clock.set(b['set']);
      else throw new HttpError(400, 'invalid-request', 'send {"advanceMs": n} or {"set": ms}');
    } catch (error) {
      if (error instanceof RangeError) throw new HttpError(400, 'invalid-request', error.message);
      throw error;
    }
    deps.log.warn('test clock moved', { now, by: claims.sub });
    deps.auth.audit.note({ action: 'clock-moved', actor: claims.sub, detail: { now } });
    const out: ClockResponse = { now };
    sendJson(res, 200, out);
  };
}
