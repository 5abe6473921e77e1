/**
 * PHOTO-6, SCALE-3: a photo uploaded through one relay node is served by the others and by the balancer (photos
 * live in the shared PostgreSQL, not in one node's data dir).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroup } from '@muster/core';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';

describe('several relay nodes: photos', () => {
  let cluster: TestCluster;
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2 });
  }, 120_000);
  afterAll(async () => {
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('PHOTO-6 SCALE-3: uploaded through node 1, the photo is served whole by node 2 and the balancer', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const a = await login(n1!.server.url, 'demo015');
      const A = connectGroup(n1!.server.wsUrl, 'grp-cl-photo', a.token);
      startGroup(A.doc, {
        id: 'grp-cl-photo',
        kind: 'task',
        title: 'Photos on two nodes (fictional)',
        unitId: a.person.unitId,
        initiator: { personId: a.person.id, name: a.person.name },
        deviceTime: 1,
      });
      await waitFor(() => A.fullyAcked(), 20_000, 'group acknowledged');
      A.destroy();

      const png = makePng(64, 48, { gray: 0x40 });
      const hash = crypto.createHash('sha256').update(png).digest('hex');
      const url = (base: string) => `${base}/api/photos/${hash}?group=grp-cl-photo`;
      const auth = { Authorization: `Bearer ${a.token}` };
      const put = await fetch(url(n1!.server.url), { method: 'PUT', headers: auth, body: new Uint8Array(png) });
      expect(put.status).toBe(201);

      for (const base of [n2!.server.url, cluster.url]) {
        const got = await fetch(url(base), { headers: auth });
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
      }
      // Uploaded again through node 2: already held, nothing rewritten.
      const again = await fetch(url(n2!.server.url), { method: 'PUT', headers: auth, body: new Uint8Array(png) });
      expect(again.status).toBe(200);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 120_000);
});
