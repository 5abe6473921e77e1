/** The JSON API under /api: health, login, me, directory, groups, and the test clock when enabled. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayAdminister } from '@muster/core';
import type { ApprovalType } from '@muster/core';
import type {
  ApprovalTypesResponse,
  DirectoryResponse,
  GroupListResponse,
  LoginResponse,
  DevicePolicyResponse,
  Person,
  TokenClaims,
} from '@muster/protocol';
import { ReadAction } from '@muster/protocol';
import { ThrottledError, authRoutes } from '../auth/authRoutes.ts';
import type { AuthRouteDeps } from '../auth/authRoutes.ts';
import { dummyHash, verifyPassword } from '../auth/passwords.ts';
import type { TokenService } from '../auth/tokens.ts';
import { ManualClock } from '../clock.ts';
import type { Clock } from '../clock.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { PersonRecord, Store } from '../store/store.ts';
import { readJsonBody } from './body.ts';
import { groupListPage } from './groupList.ts';
import { storageHttpError } from './storageErrors.ts';
import { directoryRoutes, personView } from './directoryApi.ts';
import type { DirectoryApiDeps } from './directoryApi.ts';
import { auditRoutes } from './auditApi.ts';
import type { AuditApiDeps } from './auditApi.ts';
import { PHOTOS_PREFIX, photoRoutes } from './photos.ts';
import type { PhotoDeps } from './photos.ts';
import { HttpError, sendError, sendJson } from './respond.ts';
import { statsRoutes } from '../stats/statsApi.ts';
import type { StatsApiDeps } from '../stats/statsApi.ts';

export interface HealthResponse {
  ok: true;
  serverTime: number;
}

export interface MeResponse {
  person: Person;
  serverTime: number;
}

export interface ClockResponse {
  now: number;
}

export interface ApiDeps {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  /** Sessions, refresh, revocation, login throttling (auth/authRoutes.ts); replaces the plain login. */
  auth?: Pick<AuthRouteDeps, 'sessions' | 'throttle' | 'audit' | 'registry'>;
  /** Directory, duty and templates routes; without it /api/directory serves units and posts only. */
  workflow?: Pick<DirectoryApiDeps, 'directory' | 'templates' | 'onDutyStarted'>;
  /** LOCK-2: minutes of inactivity before a device locks the app (`GET /api/device-policy`); default 5. */
  lockMinutes?: number;
  /** APR-1: the approval types (`GET /api/approval-types`), validated at start; without it that path is 404. */
  approvalTypes?: readonly ApprovalType[];
  /** PHOTO-2..5: `/api/photos/<sha256>` (photos.ts); without it those paths are 404. */
  photos?: PhotoDeps;
  /** AUDIT-4/AUDIT-5: `GET /api/audit` and `POST /api/audit/reads` (auditApi.ts); needs `auth` for the auditor. */
  reads?: Pick<AuditApiDeps, 'canOpen' | 'mayReadAudit' | 'head'>;
  /** STATS-4: the statistics routes under /api/stats (stats/statsApi.ts); without it those paths are 404. */
  stats?: StatsApiDeps;
  /** ASSIST-6: the look-up routes (reveal, sources), given the API's bearer-token check. */
  lookup?: (
    authenticate: (req: IncomingMessage) => Promise<TokenClaims>,
  ) => Record<string, Partial<Record<string, Handler>>>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const personOf = (p: PersonRecord): Person => ({
  id: p.id,
  name: p.name,
  policeNo: p.policeNo,
  unitId: p.unitId,
  roles: p.roles,
  postIds: p.postIds,
});

function field(body: unknown, key: string, max: number): string {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new HttpError(400, 'invalid-request', `${key} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

export function createApi(deps: ApiDeps): Handler {
  const { store, tokens, clock, log } = deps;

  const authenticate = async (req: IncomingMessage): Promise<TokenClaims> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const claims = m ? await (deps.auth ? deps.auth.sessions.verifyAccess(m[1]!) : tokens.verify(m[1]!)) : null;
    if (!claims) throw new HttpError(401, 'unauthorized', 'log in first (Authorization: Bearer <token>)');
    return claims;
  };

  const login: Handler = async (req, res) => {
    const body = await readJsonBody(req, deps.maxBodyBytes);
    const policeNo = field(body, 'policeNo', 64).trim();
    const password = field(body, 'password', 256);
    const person = await store.findPersonByPoliceNo(policeNo);
    // Spend the same time whether or not the police number exists.
    const ok = await verifyPassword(password, person?.passwordHash ?? (await dummyHash()));
    const at = clock.now();
    if (!person || !ok) {
      log.info('login failed', { policeNo });
      await store.appendAudit({ at, actor: person?.id ?? null, action: 'login-failed', detail: { policeNo } });
      throw new HttpError(401, 'invalid-credentials', 'police number or password is wrong');
    }
    const claims: TokenClaims = {
      sub: person.id,
      name: person.name,
      policeNo: person.policeNo,
      unitId: person.unitId,
      roles: person.roles,
    };
    const { token, expiresAt } = await tokens.issue(claims);
    await store.appendAudit({ at, actor: person.id, action: 'login' });
    log.info('login', { person: person.id });
    const shown = deps.workflow ? await personView(store, person) : personOf(person);
    const out: LoginResponse = { token, expiresAt, person: shown, serverTime: at };
    sendJson(res, 200, out);
  };

  const me: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const person = await store.getPerson(claims.sub);
    if (!person) throw new HttpError(401, 'unauthorized', 'this person no longer exists');
    const shown = deps.workflow ? await personView(store, person) : personOf(person);
    const out: MeResponse = { person: shown, serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const directory: Handler = async (req, res) => {
    await authenticate(req);
    const d = await store.getDirectory();
    const out: DirectoryResponse = { units: d.units, posts: d.posts, persons: [], onDuty: [], serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const groups: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    let out: GroupListResponse;
    if (deps.workflow) {
      // HIST-1: a page of the list index after the device's cursor (initiator, on duty at an invited or addressed
      // post, an overseeing leader on duty (SUP-1), an addressed person (ACL-8); admins and auditors every group).
      out = await groupListPage(store, claims, deps.workflow.directory.current, query, clock.now());
    } else {
      out = { groups: await store.listGroups(), serverTime: clock.now() };
    }
    // AUDIT-5: who listed which groups.
    await deps.auth?.audit.record({
      action: ReadAction.groupList,
      actor: claims.sub,
      detail: { count: out.groups.length },
    });
    sendJson(res, 200, out);
  };

  const devicePolicy: Handler = async (req, res) => {
    await authenticate(req);
    const out: DevicePolicyResponse = { lockMinutes: deps.lockMinutes ?? 5, serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const health: Handler = async (_req, res) => {
    const out: HealthResponse = { ok: true, serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  const testClock: Handler = async (req, res) => {
    if (!(clock instanceof ManualClock)) throw new HttpError(404, 'not-found', 'no such endpoint');
    // SAFE-2: only an admin moves the clock.
    const claims = await authenticate(req);
    if (!mayAdminister(claims).ok) throw new HttpError(403, 'forbidden', 'only an admin may move the clock');
    const body = await readJsonBody(req, deps.maxBodyBytes);
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    let now: number;
    try {
      if (typeof b['advanceMs'] === 'number') now = clock.advance(b['advanceMs']);
      else if (typeof b['set'] === 'number') now = clock.set(b['set']);
      else throw new HttpError(400, 'invalid-request', 'send {"advanceMs": n} or {"set": ms}');
    } catch (error) {
      if (error instanceof RangeError) throw new HttpError(400, 'invalid-request', error.message);
      throw error;
    }
    log.warn('test clock moved', { now, by: claims.sub });
    deps.auth?.audit.note({ action: 'clock-moved', actor: claims.sub, detail: { now } });
    const out: ClockResponse = { now };
    sendJson(res, 200, out);
  };

  const routes: Record<string, Partial<Record<string, Handler>>> = {
    '/api/health': { GET: health, HEAD: health },
    '/api/login': { POST: login },
    '/api/me': { GET: me },
    '/api/directory': { GET: directory },
    '/api/groups': { GET: groups },
    '/api/device-policy': { GET: devicePolicy },
    '/api/test/clock': { POST: testClock },
  };
  if (deps.workflow) {
    const r = directoryRoutes(
      {
        store,
        clock,
        log,
        maxBodyBytes: deps.maxBodyBytes,
        ...deps.workflow,
        ...(deps.auth ? { audit: deps.auth.audit } : {}),
      },
      authenticate,
    );
    routes['/api/directory'] = { GET: r['/api/directory']! };
    routes['/api/duty'] = { POST: r['/api/duty']! };
    routes['/api/templates'] = { GET: r['/api/templates']! };
  }
  const approvalTypes = deps.approvalTypes;
  if (approvalTypes) {
    const getApprovalTypes: Handler = async (req, res) => {
      await authenticate(req);
      const out: ApprovalTypesResponse = { types: [...approvalTypes] };
      sendJson(res, 200, out);
    };
    routes['/api/approval-types'] = { GET: getApprovalTypes };
  }

  if (deps.auth) {
    Object.assign(
      routes,
      authRoutes({
        ...deps.auth,
        store,
        clock,
        log,
        maxBodyBytes: deps.maxBodyBytes,
        authenticate,
        showPerson: async (p) => (deps.workflow ? await personView(store, p) : personOf(p)),
      }),
    );
  }

  if (deps.auth && deps.reads) {
    Object.assign(
      routes,
      auditRoutes(
        { store, clock, audit: deps.auth.audit, maxBodyBytes: deps.maxBodyBytes, ...deps.reads },
        authenticate,
      ),
    );
  }
  if (deps.stats) Object.assign(routes, statsRoutes(deps.stats, authenticate));
  if (deps.lookup) Object.assign(routes, deps.lookup(authenticate));

  const photos = deps.photos ? photoRoutes(deps.photos, authenticate) : null;

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const route = photos && path.startsWith(PHOTOS_PREFIX) ? photos : routes[path];
      if (!route || (path === '/api/test/clock' && !(clock instanceof ManualClock))) {
        throw new HttpError(404, 'not-found', 'no such endpoint');
      }
      const handler = route[req.method ?? 'GET'];
      if (!handler) {
        res.setHeader('Allow', Object.keys(route).join(', '));
        throw new HttpError(405, 'method-not-allowed', `use ${Object.keys(route).join(' or ')}`);
      }
      await handler(req, res);
    } catch (error) {
      if (error instanceof ThrottledError) res.setHeader('Retry-After', String(error.retryAfterS));
      const storage = error instanceof HttpError ? null : storageHttpError(error);
      if (storage) {
        // HTTP-3: a full or read-only disk is answered with its reason; the next request succeeds once it is fixed
        log.warn('request failed on storage', { path, code: storage.code, error: errorText(error) });
      }
      const answer = error instanceof HttpError ? error : storage;
      if (answer) {
        if (answer.code.startsWith('storage-')) res.setHeader('Retry-After', '60');
        sendError(res, answer.status, answer.code, answer.message);
      } else {
        log.error('request failed', { path, error: error instanceof Error ? error.message : String(error) });
        sendError(res, 500, 'internal', 'internal error');
      }
    }
  };
}
