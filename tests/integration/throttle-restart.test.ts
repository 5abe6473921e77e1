/**
 * AUTH-1: a lock-out is kept in the data folder, so neither a restart nor a crash of the relay lifts it; it ends
 * on the server's clock (the manual test clock here), and then the right password works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const LOCK_MS = 300_000;

describe('login throttle across a restart', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      manualClock: true,
      env: {
        MUSTER_LOGIN_MAX_FAILURES: '3',
        MUSTER_LOGIN_ADDRESS_MAX_FAILURES: '50',
        MUSTER_LOGIN_LOCK_MS: String(LOCK_MS),
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('AUTH-1: an account locked before a restart (and a crash) stays locked with Retry-After until its lock ends', async () => {
    const login = (password: string): Promise<Response> =>
      post(`${server.url}/api/login`, { policeNo: 'demo010', password });
    for (let i = 0; i < 2; i++) expect((await login('wrong')).status).toBe(401);
    const locking = await login('wrong');
    expect(locking.status).toBe(423);
    await locking.arrayBuffer();

    // A crash (SIGKILL) and a start on the same data folder: the lock-out is still there.
    await server.kill('SIGKILL');
    await server.restart();
    const still = await login('muster-demo');
    expect(still.status).toBe(423);
    expect(((await still.json()) as { error: string }).error).toBe('account-locked');
    const retryAfter = Number(still.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOCK_MS / 1000);

    // An orderly restart keeps it too.
    await server.restart();
    const again = await login('muster-demo');
    expect(again.status).toBe(423);
    await again.arrayBuffer();

    // The lock ends on the server's clock; the right password then works.
    await server.moveClock({ advanceMs: LOCK_MS + 1_000 });
    const ok = await login('muster-demo');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { person: { policeNo: string } }).person.policeNo).toBe('demo010');
  });
});
