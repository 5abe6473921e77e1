/**
 * INBOX-4: going on duty at a post delivers the open invitations of that post to the person's inbox at once,
 * without waiting for the group to change again; going off and on again delivers nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inboxItems, invitationViews } from '@muster/core';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { assaultGroupDoc } from '../helpers/templateGroup.ts';

const DUTY_GROUP = { title: '值班接班 (fictional)', number: 'JQ-4004', address: '西湖路 4 号 (fictional)' };

async function duty(server: TestServer, token: string, postId: string, on: boolean): Promise<void> {
  const res = await fetch(`${server.url}/api/duty`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ postId, on }),
  });
  expect(res.status).toBe(200);
}

describe('duty and inbox', () => {
  let server: TestServer;
  const open: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    await server.stop();
  });

  it('INBOX-4: going on duty delivers the open invitations of the post at once, once', async () => {
    const G = 'duty-inbox-4';
    const item = `invitation.${G}.inv-${G}-p-e-cid`;
    const cid = await login(server.url, 'demo010');
    expect(cid.person.heldPostIds).toContain('p-e-cid');
    await duty(server, cid.token, 'p-e-cid', false);

    const [front, leader] = await Promise.all(['demo015', 'demo007'].map((n) => login(server.url, n)));
    const a = connectGroup(server.wsUrl, G, front!.token, await assaultGroupDoc(server, front!, G, DUTY_GROUP));
    open.push(a);
    await waitFor(() => invitationViews(a.doc, Date.now()).every((v) => v.registeredAt !== null), 20_000, 'stamped');
    expect(invitationViews(a.doc, Date.now()).map((v) => v.invitation.post.id)).toContain('p-e-cid');
    // The group's deliveries have gone out (the leader's invitation arrived); the officer off duty got none.
    const leaderInbox = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(leaderInbox);
    await waitFor(() => inboxItems(leaderInbox.doc).some((e) => e.item.id === `invitation.${G}.inv-${G}-p-e-leader`));
    const inbox = connectInbox(server.wsUrl, cid.person.id, cid.token);
    open.push(inbox);
    await waitFor(() => inbox.provider.synced, 20_000, 'inbox synced');
    expect(inboxItems(inbox.doc).some((e) => e.item.id === item)).toBe(false);

    // On duty: the invitation arrives without any change to the group.
    await duty(server, cid.token, 'p-e-cid', true);
    await waitFor(() => inboxItems(inbox.doc).some((e) => e.item.id === item), 20_000, 'invitation delivered');

    // Off and on again: still one item.
    await duty(server, cid.token, 'p-e-cid', false);
    await duty(server, cid.token, 'p-e-cid', true);
    const again = connectInbox(server.wsUrl, cid.person.id, cid.token);
    open.push(again);
    await waitFor(() => again.provider.synced && inboxItems(again.doc).some((e) => e.item.id === item));
    expect(inboxItems(again.doc).filter((e) => e.item.id === item)).toHaveLength(1);
    expect(inboxItems(inbox.doc).filter((e) => e.item.id === item)).toHaveLength(1);
  });
});
