import { afterEach, describe, expect, it } from 'vitest';
import { Root, addFinding, startGroup, timeline } from '@muster/core';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../../sync-server/src/store/pg/testSchema.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the relay on PostgreSQL', () => {
  let server: TestServer | null = null;
  const schema = uniqueSchema('it');
  const clients: GroupClient[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && server) console.log(server.output());
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
    server = null;
    await dropSchema(schema);
  });

  it('SCALE-1: an acknowledged update is committed in PostgreSQL: after SIGKILL and a restart it is there', async () => {
    server = await startServer({ env: { MUSTER_STORE: 'pg', MUSTER_PG_URL: TEST_PG_URL, MUSTER_PG_SCHEMA: schema } });
    // SCALE-5: the node's probes.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { store: true } });

    const { token, person } = await login(server.url, 'demo015');
    const actor = { personId: person.id, name: person.name };
    const A = connectGroup(server.wsUrl, 'grp-pg-1', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 20_000, 'synced');
    startGroup(A.doc, {
      id: 'grp-pg-1',
      kind: 'task',
      title: 'PG (fictional)',
      unitId: 'st-e1',
      initiator: actor,
      deviceTime: 1,
    });
    const written: string[] = [];
    for (let i = 0; i < 60; i++) {
      addFinding(A.doc, { id: `f-${i}`, text: `finding ${i}`, author: actor, deviceTime: 10 + i });
      written.push(`f-${i}`);
      if (i % 10 === 9) await turn();
    }
    await waitFor(() => A.fullyAcked(), 20_000, 'everything acknowledged');
    const acked = written.filter((id) => A.ackCovers(Root.entries, id));
    expect(acked).toHaveLength(60);
    A.destroy();
    expect((await server.kill('SIGKILL')).signal).toBe('SIGKILL');

    await server.start();
    const fresh = await login(server.url, 'demo007');
    const C = connectGroup(server.wsUrl, 'grp-pg-1', fresh.token);
    clients.push(C);
    await waitFor(() => C.provider.synced, 20_000, 'fresh client synced');
    const have = new Set(timeline(C.doc).map((t) => t.id));
    expect(acked.filter((id) => !have.has(id))).toEqual([]);
    const groups = await fetch(`${server.url}/api/groups`, { headers: { authorization: `Bearer ${fresh.token}` } });
    expect(((await groups.json()) as { groups: { id: string }[] }).groups.map((g) => g.id)).toContain('grp-pg-1');
  });
});
