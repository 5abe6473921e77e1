/**
 * Login sessions (AUTH-2..AUTH-5): a login makes a session with a short-lived access token (JWT carrying the
 * session id) and a rotating refresh token `<sessionId>.<secret>` stored only as a SHA-256 hash. A refresh spends
 * the refresh token and hands out a new pair; presenting a spent refresh token revokes the session (it was
 * copied). Revocation marks the session in the store and closes its websockets (SessionRegistry).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenClaims } from '@muster/protocol';
import type { Clock } from '../clock.ts';
import type { PersonRecord, Store } from '../store/store.ts';
import type { TokenService } from './tokens.ts';

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export interface IssuedTokens {
  /** Server time the access token was issued at. */
  issuedAt: number;
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; person: PersonRecord; sessionId: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' | 'reused' | 'no-person'; personId?: string };

const claimsOf = (p: PersonRecord, sid: string): TokenClaims => ({
  sub: p.id,
  name: p.name,
  policeNo: p.policeNo,
  unitId: p.unitId,
  roles: p.roles,
  sid,
});

export class SessionService {
  readonly #store: Store;
  readonly #tokens: TokenService;
  readonly #clock: Clock;
  readonly refreshTtlMs: number;
  /** Sessions known revoked (saves a store read on every check). */
  readonly #revoked = new Set<string>();

  constructor(store: Store, tokens: TokenService, clock: Clock, refreshTtlMs: number) {
    this.#store = store;
    this.#tokens = tokens;
    this.#clock = clock;
    this.refreshTtlMs = refreshTtlMs;
  }

  async start(person: PersonRecord): Promise<IssuedTokens & { sessionId: string }> {
    const now = this.#clock.now();
    const sessionId = randomBytes(12).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = now + this.refreshTtlMs;
    await this.#store.createSession({
      id: sessionId,
      personId: person.id,
      refreshHash: sha256(secret),
      createdAt: now,
      expiresAt: refreshExpiresAt,
      revokedAt: null,
    });
    const { token, expiresAt } = await this.#tokens.issue(claimsOf(person, sessionId));
    return {
      sessionId,
      issuedAt: expiresAt - this.#tokens.ttlMs,
      token,
      expiresAt,
      refreshToken: `${sessionId}.${secret}`,
      refreshExpiresAt,
    };
  }

  async refresh(refreshToken: string): Promise<RefreshResult> {
    const m = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{20,128})$/.exec(refreshToken);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, sessionId, secret] = m as unknown as [string, string, string];
    const session = await this.#store.getSession(sessionId);
    if (!session) return { ok: false, reason: 'unknown' };
    const now = this.#clock.now();
    if (session.revokedAt !== null) return { ok: false, reason: 'revoked', personId: session.personId };
    if (session.expiresAt <= now) return { ok: false, reason: 'expired', personId: session.personId };
    const presented = Buffer.from(sha256(secret), 'hex');
    if (!timingSafeEqual(presented, Buffer.from(session.refreshHash, 'hex'))) {
      // A spent refresh token came back: someone holds a copy. End the session for both.
      await this.revoke({ sessionId }, now);
      return { ok: false, reason: 'reused', personId: session.personId };
    }
    const person = await this.#store.getPerson(session.personId);
    if (!person) return { ok: false, reason: 'no-person', personId: session.personId };
    const next = randomBytes(32).toString('base64url');
    const refreshExpiresAt = now + this.refreshTtlMs;
    if (!(await this.#store.rotateSession(sessionId, session.refreshHash, sha256(next), refreshExpiresAt))) {
      return { ok: false, reason: 'reused', personId: session.personId };
    }
    const { token, expiresAt } = await this.#tokens.issue(claimsOf(person, sessionId));
    return {
      ok: true,
      sessionId,
      person,
      tokens: {
        issuedAt: expiresAt - this.#tokens.ttlMs,
        token,
        expiresAt,
        refreshToken: `${sessionId}.${next}`,
        refreshExpiresAt,
      },
    };
  }

  async revoke(by: { personId: string } | { sessionId: string }, at = this.#clock.now()): Promise<string[]> {
    const ids = await this.#store.revokeSessions(by, at);
    if ('sessionId' in by) this.#revoked.add(by.sessionId);
    for (const id of ids) this.#revoked.add(id);
    return ids;
  }

  /** AUTH-4: whether a session may still be used (not revoked, refresh not expired). Tokens without one: no. */
  async isActive(sessionId: string | undefined): Promise<boolean> {
    if (!sessionId || this.#revoked.has(sessionId)) return false;
    const s = await this.#store.getSession(sessionId);
    if (!s || s.revokedAt !== null) {
      this.#revoked.add(sessionId);
      return false;
    }
    return s.expiresAt > this.#clock.now();
  }

  /** The claims of a valid access token whose session is active, else null. */
  async verifyAccess(token: string): Promise<TokenClaims | null> {
    const claims = await this.#tokens.verify(token);
    if (!claims || !(await this.isActive(claims.sid))) return null;
    return claims;
  }
}
