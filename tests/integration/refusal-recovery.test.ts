/**
 * Nothing is lost, even after a refusal. Requests (decision, close, supervision) are records: the relay applies them
 * and the workflow judges them (REQ-1), so a refused request never blocks the device's later work. A forged write is
 * dropped from its update and the rest is applied (REQ-2): the device is told which records were refused, and its
 * other work, before and after, is acknowledged and kept.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_APPROVAL_TYPES,
  Root,
  addFinding,
  readDecision,
  readMeta,
  requestApproval,
  requestDecision,
  supervise,
  supervisors,
} from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf, cidPost, openIncidentGroup } from '../helpers/closedGroup.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'grp-refusals-1';

describe('refusals do not block a device', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let a: GroupClient;
  const clients: GroupClient[] = [];

  /** What a fresh replica of the group holds, from the server. */
  async function fresh(): Promise<Y.Doc> {
    const c = connectGroup(server.wsUrl, G, front.token, new Y.Doc());
    clients.push(c);
    await waitFor(() => c.provider.synced && readMeta(c.doc), 20_000, 'fresh synced');
    return c.doc;
  }

  beforeAll(async () => {
    server = await startServer();
    [front, cid] = await Promise.all([login(server.url, 'demo015'), login(server.url, 'demo010')]);
    a = connectGroup(server.wsUrl, G, front.token);
    clients.push(a);
    await openIncidentGroup(a, {
      id: G,
      initiator: front,
      invite: { 'inv-cid': cidPost },
      also: (doc) =>
        requestApproval(doc, {
          id: 'apr-1',
          type: DEFAULT_APPROVAL_TYPES[0]!,
          values: { location: 'x (fictional)', from: '2030-03-17', to: '2030-03-17', reason: 'r' },
          author: actorOf(front),
          deviceTime: 2,
        }),
    });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('REQ-1 APR-3 SUP-1: a non-leader’s decision and supervision requests are judged and refused; later work is kept', async () => {
    const c = connectGroup(server.wsUrl, G, cid.token);
    clients.push(c);
    await waitFor(() => c.provider.synced && c.doc.getMap(Root.entries).has('apr-1'), 20_000, 'cid synced');
    requestDecision(c.doc, {
      id: 'dec-cid',
      approvalId: 'apr-1',
      decision: 'approve',
      comment: '',
      by: actorOf(cid),
      postId: 'p-e-cid',
      deviceTime: 3,
    });
    await waitFor(() => c.notices.some((n) => n.kind === 'refused' && n.code === 'not-a-leader'), 20_000, 'refused');
    supervise(c.doc, { id: 'sup-cid', postId: 'p-e-cid', by: actorOf(cid), deviceTime: 3 });
    addFinding(c.doc, { id: 'f-after', text: '现场发现 (fictional)', author: actorOf(cid), deviceTime: 4 });
    await waitFor(() => c.fullyAcked(), 20_000, 'finding acked');
    const doc = await fresh();
    expect(doc.getMap(Root.entries).get('f-after')).toMatchObject({ text: '现场发现 (fictional)' });
    expect(readDecision(doc, 'apr-1')).toBeNull();
    // The server's result for each request says refused.
    await waitFor(() => doc.getMap(Root.refusals).has(`${Root.decisionRequests}/dec-cid`), 20_000, 'decision refusal');
    await waitFor(() => doc.getMap(Root.refusals).has(`${Root.supervisions}/sup-cid`), 20_000, 'supervision refusal');
    expect(doc.getMap(Root.refusals).get(`${Root.decisionRequests}/dec-cid`)).toMatchObject({ code: 'not-a-leader' });
    expect(supervisors(doc)).toEqual([]);
  });

  it('REQ-2 ACL-6: a forged record is dropped from its update; the rest of it and later work are kept', async () => {
    const c = connectGroup(server.wsUrl, G, cid.token);
    clients.push(c);
    await waitFor(() => c.provider.synced && c.doc.getMap(Root.entries).has('apr-1'), 20_000, 'cid synced');
    c.doc.transact(() => {
      addFinding(c.doc, { id: 'f-honest', text: 'honest', author: actorOf(cid), deviceTime: 5 });
      addFinding(c.doc, { id: 'f-forged', text: 'in someone else’s name', author: actorOf(front), deviceTime: 5 });
    });
    await waitFor(() => c.notices.some((n) => n.kind === 'refused' && n.code === 'impersonation'), 20_000, 'refused');
    expect(c.notices.find((n) => n.code === 'impersonation')?.message).toContain('entries/f-forged');
    addFinding(c.doc, { id: 'f-later', text: 'later', author: actorOf(cid), deviceTime: 6 });
    await waitFor(() => c.fullyAcked(), 20_000, 'acked');
    const doc = await fresh();
    await waitFor(() => doc.getMap(Root.entries).has('f-later'), 20_000, 'later kept');
    expect(doc.getMap(Root.entries).has('f-honest')).toBe(true);
    expect(doc.getMap(Root.entries).has('f-forged')).toBe(false);
  });
});
