import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_TYPES, parseApprovalTypes } from '@muster/core';
import type { DirectoryResponse, GroupListResponse, LoginResponse } from '@muster/protocol';
import { login } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const post = (url: string, body: string, type = 'application/json'): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('HTTP API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ manualClock: true });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('logs in a demo officer and returns a token, the person and the server time', async () => {
    const r: LoginResponse = await login(server.url, 'demo005');
    expect(r.person).toMatchObject({ policeNo: 'demo005', unitId: 'sb-e', postIds: ['p-e-mgmt'] });
    expect(r.expiresAt - r.serverTime).toBe(900_000);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${r.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { person: unknown }).person).toEqual(r.person);
    expect(server.output()).not.toContain(r.token);
  });

  it('refuses wrong credentials with 401 ApiError and the same message for unknown police numbers', async () => {
    const wrong = await post(`${server.url}/api/login`, JSON.stringify({ policeNo: 'demo015', password: 'nope' }));
    const unknown = await post(`${server.url}/api/login`, JSON.stringify({ policeNo: 'nobody', password: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('caps JSON bodies: 413 too large, 400 not JSON or missing fields, 415 other types', async () => {
    const big = await post(`${server.url}/api/login`, JSON.stringify({ policeNo: 'x'.repeat(100_000), password: 'y' }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'body-too-large' });
    const bad = await post(`${server.url}/api/login`, '{"policeNo":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid-json' });
    const missing = await post(`${server.url}/api/login`, '{"policeNo":"demo015"}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid-request' });
    const text = await post(`${server.url}/api/login`, 'policeNo=demo015', 'text/plain');
    expect(text.status).toBe(415);
    await text.arrayBuffer();
    const method = await fetch(`${server.url}/api/login`);
    expect(method.status).toBe(405);
    await method.arrayBuffer();
  });

  it('requires a token for me, directory and groups', async () => {
    for (const p of ['/api/me', '/api/directory', '/api/groups']) {
      const res = await fetch(`${server.url}${p}`, { headers: { authorization: 'Bearer not-a-token' } });
      expect(res.status, p).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('APR-1: serves the approval types as data, behind a token', async () => {
    const denied = await fetch(`${server.url}/api/approval-types`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(denied.status).toBe(401);
    const { token } = await login(server.url, 'demo015');
    const res = await fetch(`${server.url}/api/approval-types`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(parseApprovalTypes(await res.json())).toEqual({ ok: true, types: DEFAULT_APPROVAL_TYPES });
  });

  it('serves the fictional directory and the (empty) group list', async () => {
    const { token } = await login(server.url, 'demo015');
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const dir = (await (await fetch(`${server.url}/api/directory`, auth)).json()) as DirectoryResponse;
    expect(dir.units[0]!.nameEn).toContain('fictional');
    expect(dir.persons).toHaveLength(49);
    expect(dir.persons.find((p) => p.id === 'demo007')).toEqual({
      id: 'demo007',
      name: '郑演示07',
      policeNo: 'demo007',
      unitId: 'sb-e',
      roles: ['leader'],
      postIds: ['p-e-leader'],
    });
    expect(JSON.stringify(dir)).not.toContain('scrypt');
    expect(dir.posts.find((p) => p.id === 'p-e-leader')).toMatchObject({
      kind: 'leader',
      capabilities: ['duty-leader'],
    });
    expect(dir.onDuty).toContainEqual(expect.objectContaining({ personId: 'demo007', postId: 'p-e-leader' }));
    const groups = (await (await fetch(`${server.url}/api/groups`, auth)).json()) as GroupListResponse;
    expect(groups.groups).toEqual([]);
  });

  it('SAFE-2: an admin moves the manual test clock, which the API then reports', async () => {
    expect(await server.moveClock({ set: 1_900_000_000_000 })).toBe(1_900_000_000_000);
    expect(await server.moveClock({ advanceMs: 60_000 })).toBe(1_900_000_060_000);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { serverTime: number };
    expect(health.serverTime).toBe(1_900_000_060_000);
    await expect(server.moveClock({ advanceMs: -5 })).rejects.toThrow(/HTTP 400/);
  });

  it('SAFE-2: the test clock needs an admin token: none is 401, an officer’s is 403, and time stays', async () => {
    const before = ((await (await fetch(`${server.url}/api/health`)).json()) as { serverTime: number }).serverTime;
    const anonymous = await post(`${server.url}/api/test/clock`, JSON.stringify({ advanceMs: 3_600_000 }));
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    const officer = (await login(server.url, 'demo015')).token;
    const refused = await fetch(`${server.url}/api/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` },
      body: JSON.stringify({ advanceMs: 3_600_000 }),
    });
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
    const after = ((await (await fetch(`${server.url}/api/health`)).json()) as { serverTime: number }).serverTime;
    expect(after).toBe(before);
  });

  it('SAFE-2: the server warns at start-up that the manual clock is on', () => {
    expect(server.output()).toMatch(/WARN.*MUSTER_CLOCK=manual/);
  });
});
