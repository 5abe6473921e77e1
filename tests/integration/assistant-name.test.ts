/**
 * ASSIST-11: the assistant's display name is configured on the server, one per language, and given to members'
 * devices by `GET /api/lookup/assistant` (logged in only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

describe('ASSIST-11: the assistant’s configured name', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { MUSTER_ASSISTANT_NAME_ZH: '宁宁', MUSTER_ASSISTANT_NAME_EN: 'Ningning' } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('ASSIST-11: a logged-in device gets the name in both languages; without a login nothing', async () => {
    const officer = await login(server.url, 'demo015');
    const res = await fetch(`${server.url}/api/lookup/assistant`, {
      headers: { authorization: `Bearer ${officer.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: { zh: '宁宁', en: 'Ningning' } });
    expect((await fetch(`${server.url}/api/lookup/assistant`)).status).toBe(401);
  });
});
