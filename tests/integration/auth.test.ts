import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFinding, startGroup } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const post = (url: string, body: unknown, token?: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('authentication', () => {
  let server: TestServer;
  const clients: GroupClient[] = [];

  beforeAll(async () => {
    server = await startServer({
      env: { MUSTER_LOGIN_MAX_FAILURES: '3', MUSTER_LOGIN_ADDRESS_MAX_FAILURES: '50', MUSTER_SESSION_CHECK_MS: '500' },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('AUTH-1: repeated failed logins lock the account (423, Retry-After), audited; the token is never logged', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await post(`${server.url}/api/login`, { policeNo: 'demo010', password: 'wrong' });
      expect(r.status).toBe(401);
    }
    const third = await post(`${server.url}/api/login`, { policeNo: 'demo010', password: 'wrong' });
    expect(third.status).toBe(423);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { message: string }).message).toMatch(/locked, try again in \d+ min/);
    // Even the right password is refused while locked.
    const locked = await post(`${server.url}/api/login`, { policeNo: 'demo010', password: 'muster-demo' });
    expect(locked.status).toBe(423);
    // Other accounts are not affected.
    const ok = await login(server.url, 'demo009');
    expect(server.output()).not.toContain(ok.token);
    expect(server.output()).not.toContain(ok.refreshToken!);
  });

  it('AUTH-2 AUTH-3: login returns a 15-minute access token and a rotating refresh token; a reused refresh token ends the session', async () => {
    const r = await login(server.url, 'demo015');
    expect(r.expiresAt - r.serverTime).toBe(15 * 60_000);
    expect(r.refreshToken).toMatch(/^[\w-]+\.[\w-]+$/);
    const first = await post(`${server.url}/api/refresh`, { refreshToken: r.refreshToken });
    expect(first.status).toBe(200);
    const next = (await first.json()) as { token: string; refreshToken: string };
    expect(next.refreshToken).not.toBe(r.refreshToken);
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${next.token}` } })).status).toBe(
      200,
    );
    // The spent refresh token again: refused, and the whole session is revoked (someone holds a copy).
    expect((await post(`${server.url}/api/refresh`, { refreshToken: r.refreshToken })).status).toBe(401);
    expect((await post(`${server.url}/api/refresh`, { refreshToken: next.refreshToken })).status).toBe(401);
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${next.token}` } })).status).toBe(
      401,
    );
  });

  it('AUTH-5: an admin revokes a person; their open connections close with 4401 within seconds and cannot sync again', async () => {
    const officer = await login(server.url, 'demo017');
    const actor = { personId: officer.person.id, name: officer.person.name };
    const c = connectGroup(server.wsUrl, 'grp-revoke-1', officer.token);
    clients.push(c);
    await waitFor(() => c.provider.synced, 20_000, 'synced');
    startGroup(c.doc, {
      id: 'grp-revoke-1',
      kind: 'task',
      title: 'T',
      unitId: 'st-e2',
      initiator: actor,
      deviceTime: 1,
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'acked');

    // Not an admin: refused.
    expect((await post(`${server.url}/api/admin/revoke`, { personId: 'demo017' }, officer.token)).status).toBe(403);
    const admin = await login(server.url, 'demo003');
    const t0 = Date.now();
    const res = await post(`${server.url}/api/admin/revoke`, { personId: 'demo017' }, admin.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ personId: 'demo017', sessionsRevoked: 1, connectionsClosed: 1 });
    await waitFor(() => c.closes.some((x) => x.code === 4401), 5000, '4401');
    expect(Date.now() - t0).toBeLessThan(5000);
    c.provider.disconnect();

    // The old token and refresh token no longer work; work queued meanwhile waits for a new login.
    addFinding(c.doc, { id: 'queued', text: 'made while revoked', author: actor, deviceTime: 2 });
    const again = connectGroup(server.wsUrl, 'grp-revoke-1', officer.token);
    clients.push(again);
    await waitFor(() => again.closes.some((x) => x.code === 4401), 10_000, 'old token refused');
    again.destroy();
    expect((await post(`${server.url}/api/refresh`, { refreshToken: officer.refreshToken })).status).toBe(401);
    // After logging in again the same replica syncs what it queued: nothing is dropped.
    const fresh = await login(server.url, 'demo017');
    const back = connectGroup(server.wsUrl, 'grp-revoke-1', fresh.token, c.doc);
    clients.push(back);
    await waitFor(() => back.fullyAcked(), 20_000, 'queued work acknowledged after re-login');
  });

  it('AUTH-4: an expired access token is refused on connect with 4401; a refreshed one syncs the same replica', async () => {
    const clockServer = await startServer({ manualClock: true });
    try {
      const r = await login(clockServer.url, 'demo015');
      await clockServer.moveClock({ advanceMs: 16 * 60_000 });
      const c = connectGroup(clockServer.wsUrl, 'grp-expired-1', r.token);
      await waitFor(() => c.closes.some((x) => x.code === 4401), 10_000, 'expired token refused');
      c.provider.disconnect();
      const refreshed = (await (
        await post(`${clockServer.url}/api/refresh`, { refreshToken: r.refreshToken })
      ).json()) as { token: string };
      const ok = connectGroup(clockServer.wsUrl, 'grp-expired-1', refreshed.token, c.doc);
      await waitFor(() => ok.provider.synced, 20_000, 'synced after refresh');
      ok.destroy();
      c.destroy();
    } finally {
      await clockServer.stop();
    }
  });
});
