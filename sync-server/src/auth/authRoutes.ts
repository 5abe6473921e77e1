/**
 * The authentication routes: `POST /api/login` (AUTH-1 throttled, AUTH-2 access + refresh token),
 * `POST /api/refresh` (AUTH-3 rotation), `POST /api/logout`, `POST /api/admin/revoke` (AUTH-5, admins only).
 * Tokens, refresh tokens and passwords never reach a log line or an audit row.
 */
import { mayAdminister } from '@muster/core';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '@muster/protocol';
import type { LoginResponse, Person, RevokeResponse } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import { readJsonBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { stringField as field } from '../http/router.ts';
import type { Authenticate, Handler, Routes } from '../http/router.ts';
import type { Logger } from '../log.ts';
import type { PersonRecord, Store } from '../store/store.ts';
import type { SessionRegistry } from './authExtension.ts';
import type { LoginThrottle } from './loginThrottle.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import type { SessionService } from './sessions.ts';

export interface AuthRouteDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  sessions: SessionService;
  throttle: LoginThrottle;
  audit: Auditor;
  registry: SessionRegistry;
  /** How the login response shows the person. */
  showPerson: (p: PersonRecord) => Promise<Person>;
  /** Bearer authentication of the other routes. */
  authenticate: Authenticate;
}

const remoteOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/** A login refused by the throttle: 423 (account locked) or 429 (address), with Retry-After. */
function throttled(blocked: { scope: 'account' | 'address'; retryAfterMs: number }): HttpError {
  const s = Math.max(1, Math.ceil(blocked.retryAfterMs / 1000));
  const minutes = Math.ceil(s / 60);
  return blocked.scope === 'account'
    ? new HttpError(
        423,
        'account-locked',
        `too many failed logins for this police number; locked, try again in ${minutes} min`,
        s,
      )
    : new HttpError(
        429,
        'too-many-attempts',
        `too many failed logins from this address; try again in ${minutes} min`,
        s,
      );
}

export function authRoutes(d: AuthRouteDeps): Routes {
  const { store, clock, log, sessions, throttle, audit } = d;

  const login: Handler = async (req, res) => {
    const body = await readJsonBody(req, d.maxBodyBytes);
    const policeNo = field(body, 'policeNo', 64).trim();
    const password = field(body, 'password', 256);
    const remote = remoteOf(req);
    const blocked = throttle.check(policeNo, remote);
    if (blocked) {
      await audit.record({
        action: AuditAction.loginLocked,
        actor: null,
        detail: { policeNo, remote, scope: blocked.scope },
      });
      throw throttled(blocked);
    }
    const person = await store.findPersonByPoliceNo(policeNo);
    // Spend the same time whether or not the police number exists.
    const ok = await verifyPassword(password, person?.passwordHash ?? (await dummyHash()));
    if (!person || !ok) {
      const lock = await throttle.fail(policeNo, remote);
      log.info('login failed', { policeNo, locked: lock?.scope ?? null });
      await audit.record({
        action: AuditAction.loginFailed,
        actor: person?.id ?? null,
        detail: { policeNo, remote, ...(lock ? { locked: lock.scope } : {}) },
      });
      if (lock) throw throttled(lock);
      throw new HttpError(401, 'invalid-credentials', 'police number or password is wrong');
    }
    await throttle.succeed(policeNo);
    const issued = await sessions.start(person);
    await audit.record({ action: AuditAction.login, actor: person.id, detail: { session: issued.sessionId, remote } });
    log.info('login', { person: person.id });
    const out: LoginResponse = {
      token: issued.token,
      expiresAt: issued.expiresAt,
      person: await d.showPerson(person),
      serverTime: issued.issuedAt,
      refreshToken: issued.refreshToken,
      refreshExpiresAt: issued.refreshExpiresAt,
    };
    sendJson(res, 200, out);
  };

  const refresh: Handler = async (req, res) => {
    const body = await readJsonBody(req, d.maxBodyBytes);
    const r = await sessions.refresh(field(body, 'refreshToken', 512));
    if (!r.ok) {
      await audit.record({
        action: AuditAction.refreshFailed,
        actor: r.personId ?? null,
        detail: { reason: r.reason, remote: remoteOf(req) },
      });
      if (r.reason === 'reused' && r.personId) {
        d.registry.closeWhere({ personId: r.personId }, 'session ended: refresh token reused');
      }
      throw new HttpError(401, 'invalid-refresh', `log in again (${r.reason} refresh token)`);
    }
    await audit.record({ action: AuditAction.refresh, actor: r.person.id, detail: { session: r.sessionId } });
    const out: LoginResponse = {
      token: r.tokens.token,
      expiresAt: r.tokens.expiresAt,
      person: await d.showPerson(r.person),
      serverTime: r.tokens.issuedAt,
      refreshToken: r.tokens.refreshToken,
      refreshExpiresAt: r.tokens.refreshExpiresAt,
    };
    sendJson(res, 200, out);
  };

  const logout: Handler = async (req, res) => {
    const claims = await d.authenticate(req);
    const ids = claims.sid ? await sessions.revoke({ sessionId: claims.sid }) : [];
    d.registry.closeWhere({ sessionIds: ids }, 'logged out');
    await audit.record({ action: AuditAction.logout, actor: claims.sub, detail: { session: claims.sid ?? null } });
    sendJson(res, 200, { ok: true });
  };

  const revoke: Handler = async (req, res) => {
    const claims = await d.authenticate(req);
    if (!mayAdminister(claims).ok) {
      await audit.record({
        action: AuditAction.accessRefused,
        actor: claims.sub,
        detail: { route: '/api/admin/revoke' },
      });
      throw new HttpError(403, 'forbidden', 'only an administrator may revoke sessions');
    }
    const body = await readJsonBody(req, d.maxBodyBytes);
    const personId = field(body, 'personId', 64);
    if (!(await store.getPerson(personId))) throw new HttpError(404, 'not-found', `no person ${personId}`);
    const ids = await sessions.revoke({ personId });
    const closed = d.registry.closeWhere({ personId }, 'session revoked by an administrator');
    await audit.record({
      action: AuditAction.revoke,
      actor: claims.sub,
      detail: { personId, sessions: ids.length, connections: closed },
    });
    log.info('sessions revoked', { by: claims.sub, person: personId, sessions: ids.length, connections: closed });
    const out: RevokeResponse = { personId, sessionsRevoked: ids.length, connectionsClosed: closed };
    sendJson(res, 200, out);
  };

  return {
    '/api/login': { POST: login },
    '/api/refresh': { POST: refresh },
    '/api/logout': { POST: logout },
    '/api/admin/revoke': { POST: revoke },
  };
}
