/** Access tokens: short-lived HS256 JWTs (jose) carrying TokenClaims and the login session id (AUTH-4). */
import { SignJWT, jwtVerify } from 'jose';
import type { TokenClaims } from '@muster/protocol';
import type { Clock } from '../clock.ts';

const ISSUER = 'muster';
const AUDIENCE = 'muster';

export class TokenService {
  readonly #key: Uint8Array;
  readonly #clock: Clock;
  readonly ttlMs: number;

  constructor(secret: string, clock: Clock, ttlMs: number) {
    this.#key = new TextEncoder().encode(secret);
    this.#clock = clock;
    this.ttlMs = ttlMs;
  }

  async issue(claims: TokenClaims): Promise<{ token: string; expiresAt: number }> {
    const now = this.#clock.now();
    const expiresAt = now + this.ttlMs;
    const token = await new SignJWT({
      name: claims.name,
      policeNo: claims.policeNo,
      unitId: claims.unitId,
      roles: claims.roles,
      ...(claims.sid ? { sid: claims.sid } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.#key);
    return { token, expiresAt };
  }

  /** The claims of a valid, unexpired token (by the server clock), or null. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.#clock.now()),
      });
      const { sub, name, policeNo, unitId, roles, sid, exp } = payload;
      if (typeof sub !== 'string' || typeof name !== 'string' || typeof policeNo !== 'string') return null;
      if (typeof unitId !== 'string' || !Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
        return null;
      }
      const out: TokenClaims = { sub, name, policeNo, unitId, roles: roles as string[] };
      if (typeof sid === 'string') out.sid = sid;
      if (typeof exp === 'number') out.exp = exp * 1000;
      return out;
    } catch {
      return null;
    }
  }
}
