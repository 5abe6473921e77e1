/**
 * AUTH-7, SCALE-3: a lock-out made on one relay node holds on the others at once: failed logins through node 1
 * lock the account, and the right password through node 2 is refused too (423, Retry-After), where before each
 * node counted and locked on its own (an attacker got the limit once per node).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/cluster.ts';
import { DEMO_PASSWORD, waitFor } from '../helpers/clients.ts';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('several relay nodes: login throttle', () => {
  let cluster: TestCluster;
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({
      nodes: 2,
      env: { MUSTER_LOGIN_MAX_FAILURES: '3', MUSTER_LOGIN_ADDRESS_MAX_FAILURES: '50' },
    });
  }, 120_000);
  afterAll(async () => {
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('AUTH-7 SCALE-3: an account locked through node 1 is refused through node 2', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      for (let i = 0; i < 2; i++) {
        const r = await post(`${n1!.server.url}/api/login`, { policeNo: 'demo010', password: 'wrong' });
        expect(r.status).toBe(401);
      }
      const third = await post(`${n1!.server.url}/api/login`, { policeNo: 'demo010', password: 'wrong' });
      expect(third.status).toBe(423);

      // Node 2 says when it applied the lock-out it was told of; then it refuses even the right password.
      await waitFor(
        () => n2!.server.output().includes('login lock-out from another node applied'),
        20_000,
        'node 2 applied the lock-out',
      );
      const right = await post(`${n2!.server.url}/api/login`, { policeNo: 'demo010', password: DEMO_PASSWORD });
      expect(right.status).toBe(423);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another account is not affected on either node.
      const other = await post(`${n2!.server.url}/api/login`, { policeNo: 'demo009', password: DEMO_PASSWORD });
      expect(other.status).toBe(200);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 120_000);
});
