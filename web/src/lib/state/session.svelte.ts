import type { Actor } from '@muster/core';
import type { LoginResponse, Person } from '@muster/protocol';
import { clearSession, loadSession, saveSession } from '../db/session.ts';
import type { SessionRow } from '../db/schema.ts';
import { HttpError, api, isNetworkError } from '../sync/api.ts';
import { serverClock } from '../sync/serverClock.ts';

export type LoginError = 'failed' | 'offline' | 'other';

/**
 * The logged-in officer. The token is cached in Dexie so that the app opens offline later; an expired token
 * keeps local work usable and only asks for a new login to sync.
 */
export class Session {
  current = $state<SessionRow | null>(null);
  ready = $state(false);
  /** The relay or the API refused the token: log in again to sync. */
  expired = $state(false);

  person = $derived<Person | null>(this.current?.person ?? null);
  token = $derived<string | null>(this.current?.token ?? null);
  actor = $derived<Actor | null>(this.person ? { personId: this.person.id, name: this.person.name } : null);

  async init(): Promise<void> {
    try {
      const row = await loadSession();
      if (row) {
        serverClock.restore(row.clockOffset);
        this.current = row;
      }
    } finally {
      this.ready = true;
    }
  }

  async login(
    policeNo: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: LoginError; message: string }> {
    try {
      const res = await api.login(policeNo.trim(), password);
      serverClock.observe(res.serverTime);
      this.current = await saveSession(rowFrom(res));
      this.expired = false;
      return { ok: true };
    } catch (e) {
      if (e instanceof HttpError && (e.status === 401 || e.status === 403 || e.status === 400)) {
        return { ok: false, error: 'failed', message: e.message };
      }
      if (isNetworkError(e)) return { ok: false, error: 'offline', message: String(e) };
      return { ok: false, error: 'other', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Renews the access token with the refresh token (single flight). Returns the new token, or null when the server
   * refused the refresh (then the session is expired: log in again; local work stays) or could not be reached.
   */
  renew(): Promise<string | null> {
    this.renewing ??= this.doRenew().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private renewing: Promise<string | null> | null = null;

  private async doRenew(): Promise<string | null> {
    const cur = $state.snapshot(this.current);
    if (!cur) return null;
    try {
      const res = await api.refresh(cur.refreshToken);
      serverClock.observe(res.serverTime);
      this.current = await saveSession(rowFrom(res));
      this.expired = false;
      return res.token;
    } catch (e) {
      if (e instanceof HttpError && (e.status === 401 || e.status === 403 || e.status === 400)) this.expired = true;
      return null;
    }
  }

  /** True when the access token expires within `marginMs` (server time). */
  expiresWithin(marginMs: number): boolean {
    const cur = this.current;
    return cur !== null && cur.expiresAt - serverClock.now() < marginMs;
  }

  /** Refreshes who I am (posts on duty change) when online. */
  async refreshMe(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    try {
      const res = await api.me(cur.token);
      serverClock.observe(res.serverTime);
      this.current = await saveSession({ ...cur, person: res.person, clockOffset: serverClock.offset });
    } catch (e) {
      // An expired access token is renewed, not reported: only a refused refresh expires the session.
      if (e instanceof HttpError && e.status === 401 && (await this.renew())) await this.refreshMe();
    }
  }

  /** Records the posts I am on duty at after a duty change (the server's word comes with the next `/api/me`). */
  async setDutyPosts(postIds: string[]): Promise<void> {
    const cur = $state.snapshot(this.current);
    if (!cur) return;
    this.current = await saveSession({ ...cur, person: { ...cur.person, postIds } });
  }

  markExpired(): void {
    this.expired = true;
  }

  async logout(): Promise<void> {
    await clearSession();
    this.current = null;
    this.expired = false;
  }
}

function rowFrom(res: LoginResponse): Omit<SessionRow, 'key'> {
  return {
    token: res.token,
    expiresAt: res.expiresAt,
    person: res.person,
    refreshToken: res.refreshToken,
    refreshExpiresAt: res.refreshExpiresAt,
    clockOffset: serverClock.offset,
    savedAt: Date.now(),
  };
}
