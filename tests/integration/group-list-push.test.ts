/**
 * HIST-1: an open app is told when its group list changed (`GET /api/groups/changes`, server-sent events), so it asks
 * for the delta then instead of polling: a desk's stream hears of a group that starts and invites its post, and
 * the delta after its cursor then holds that group (real relay, real SQLite file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitePost, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import type { GroupListResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };

describe('HIST-1 list change push', () => {
  let server: TestServer;
  const aborts: AbortController[] = [];

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    for (const a of aborts) a.abort();
    await server.stop();
  });

  it('HIST-1: the desk’s stream says “changed” when a group inviting its post is stored; the delta holds it', async () => {
    const desk = await login(server.url, 'demo005');
    const front: LoginResponse = await login(server.url, 'demo015');
    const auth = { authorization: `Bearer ${desk.token}` };
    const first = (await (await fetch(`${server.url}/api/groups`, { headers: auth })).json()) as GroupListResponse;

    expect((await fetch(`${server.url}/api/groups/changes`)).status).toBe(401);
    const ctrl = new AbortController();
    aborts.push(ctrl);
    const res = await fetch(`${server.url}/api/groups/changes`, { headers: auth, signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let text = '';
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    })();
    await waitFor(() => text.includes(': listening'), 10_000, 'stream open');
    expect(text).not.toContain('event: changed');

    const c = connectGroup(server.wsUrl, 'push-001', front.token);
    try {
      await waitFor(() => c.provider.synced, 20_000, 'synced');
      const actor = { personId: front.person.id, name: front.person.name };
      c.doc.transact(() => {
        startGroup(c.doc, {
          id: 'push-001',
          kind: 'incident',
          title: 'P',
          unitId: 'st-e1',
          initiator: actor,
          deviceTime: 1,
        });
        invitePost(c.doc, { id: 'inv-push', post: mgmt, invitedBy: actor, deviceTime: 1 });
      });
      await waitFor(() => text.includes('event: changed'), 20_000, 'changed event');
    } finally {
      c.destroy();
    }
    const q = new URLSearchParams({ since: first.cursor! });
    const delta = (await (await fetch(`${server.url}/api/groups?${q}`, { headers: auth })).json()) as GroupListResponse;
    expect(delta.groups.map((g) => g.id)).toContain('push-001');
  });
});
