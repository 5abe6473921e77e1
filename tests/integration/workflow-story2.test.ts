/**
 * Story 2 of domain.md over real sockets (y-websocket clients in Node, manual server clock): one tap from the assault
 * template, the management desk signs on time, a support post is late → the server escalates to the duty leader
 * (inbox), approvals, closure rules, and work received after closure. Then: escalation survives SIGKILL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DEFAULT_APPROVAL_TYPES,
  Directory,
  Root,
  addFinding,
  addTask,
  expandTemplate,
  inboxItems,
  invitationViews,
  isAfterClosure,
  markRead,
  parseTemplates,
  readClosure,
  readDecision,
  requestApproval,
  requestDecision,
  serverEvents,
  signOff,
  startGroupFromTemplate,
  timeline,
  waiveTask,
} from '@muster/core';
import type { DirectoryData, GroupTemplate } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;

async function getJson<T>(server: TestServer, path: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

const actor = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

/** The frontline officer's one tap, made on a device with no network (TPL-4), for the officer's unit. */
async function oneTap(server: TestServer, who: LoginResponse, groupId: string): Promise<Y.Doc> {
  const dir = new Directory(await getJson<DirectoryData>(server, '/api/directory', who.token));
  const raw = await getJson<{ templates: unknown[] }>(server, '/api/templates', who.token);
  const parsed = parseTemplates(raw);
  if (!parsed.ok) throw new Error('templates');
  const tpl = parsed.templates.find((t: GroupTemplate) => t.incidentType === 'assault')!;
  const exp = expandTemplate(tpl, dir, who.person.unitId);
  if (!exp.ok) throw new Error(JSON.stringify(exp.errors));
  const doc = new Y.Doc();
  startGroupFromTemplate(doc, {
    group: {
      id: groupId,
      kind: 'incident',
      title: '网约车司机被扳手打伤 (fictional)',
      incident: { number: 'JQ-2002', type: 'assault', address: '东湖路 2 号 (fictional)', reportedAt: T0 - MIN },
      unitId: who.person.unitId,
      initiator: actor(who),
      deviceTime: T0 - 5_000,
    },
    expansion: exp.expansion,
    invitationIds: exp.expansion.posts.map((p) => `inv-${groupId}-${p.post.id}`),
  });
  return doc;
}

const inv = (groupId: string, postId: string) => `inv-${groupId}-${postId}`;

describe('story 2 over the relay', () => {
  let server: TestServer;
  const open: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer({ manualClock: true });
    await server.moveClock({ set: T0 });
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    await server.stop();
  });

  it('TPL-3 ESC-1 ESC-2 SLA-2 INBOX-1 APR-2 APR-3 APR-4 CLOSE-1 CLOSE-2 CLOSE-4 LATE-1: one tap to closure', async () => {
    const G = 'story2-assault';
    // Access tokens expire by the server's clock: each device logs in when it is about to connect.
    const [front, mgmt, leader] = await Promise.all(['demo015', 'demo005', 'demo007'].map((n) => login(server.url, n)));
    // One tap offline, then synced: the invitations are registered (stamped) by the server at T0.
    const a = connectGroup(server.wsUrl, G, front!.token, await oneTap(server, front!, G));
    open.push(a);
    await waitFor(() => invitationViews(a.doc, T0).every((v) => v.registeredAt === T0), 20_000, 'invitations stamped');
    const posts = invitationViews(a.doc, T0).map((v) => v.invitation.post.id);
    expect(posts).toEqual(expect.arrayContaining(['p-e-mgmt', 'p-e-leader', 'p-e-data', 'p-e-cid']));

    // INBOX-1: the leader learns of the invitation of their post from their inbox, never having opened the group.
    const leaderInbox = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(leaderInbox);
    await waitFor(() =>
      inboxItems(leaderInbox.doc).some((e) => e.item.id === `invitation.${G}.${inv(G, 'p-e-leader')}`),
    );

    // The management desk signs within 10 minutes.
    await server.moveClock({ advanceMs: 4 * MIN });
    const m = connectGroup(server.wsUrl, G, mgmt!.token);
    open.push(m);
    await waitFor(() => m.doc.getMap(Root.invitations).size === posts.length);
    signOff(m.doc, { id: 'so-mgmt', invitationId: inv(G, 'p-e-mgmt'), by: actor(mgmt!), deviceTime: T0 });
    await waitFor(
      () =>
        invitationViews(m.doc, T0 + 4 * MIN).find((v) => v.invitation.post.id === 'p-e-mgmt')?.status ===
        'signed-on-time',
    );

    // The criminal investigation post does not sign: past 30 minutes the server records an overdue event (ESC-1)
    // and escalates to the duty leader (ESC-2), whose inbox gets it.
    await server.moveClock({ advanceMs: 27 * MIN });
    await waitFor(() => serverEvents(a.doc).some((e) => e.invitationId === inv(G, 'p-e-cid')), 20_000, 'overdue event');
    const ev = serverEvents(a.doc).find((e) => e.invitationId === inv(G, 'p-e-cid'))!;
    expect(ev).toMatchObject({
      type: 'overdue',
      postId: 'p-e-cid',
      escalatedToPostId: 'p-e-leader',
      at: T0 + 31 * MIN,
    });
    expect(serverEvents(a.doc).some((e) => e.invitationId === inv(G, 'p-e-mgmt'))).toBe(false);
    await waitFor(() => inboxItems(leaderInbox.doc).some((e) => e.item.id === `escalation.${G}.${inv(G, 'p-e-cid')}`));

    // INBOX-2: the device writes read markers only; anything else is refused with a notice.
    markRead(leaderInbox.doc, [`escalation.${G}.${inv(G, 'p-e-cid')}`], T0);
    leaderInbox.doc.getMap('graffiti').set('x', 1);
    await waitFor(() => leaderInbox.notices.some((n) => n.code === 'inbox-read-only'));

    // The late sign-off is judged late on the server's stamp (SLA-2).
    const cid = await login(server.url, 'demo010');
    const c = connectGroup(server.wsUrl, G, cid.token);
    open.push(c);
    await waitFor(() => c.doc.getMap(Root.invitations).size === posts.length);
    signOff(c.doc, { id: 'so-cid', invitationId: inv(G, 'p-e-cid'), by: actor(cid), deviceTime: T0 + 5 * MIN });
    await waitFor(
      () =>
        invitationViews(a.doc, T0 + 31 * MIN).find((v) => v.invitation.post.id === 'p-e-cid')?.status === 'signed-late',
    );

    // One-form approval: a non-leader's decision request is refused (APR-3); the duty leader's is recorded (APR-4).
    requestApproval(a.doc, {
      id: 'apr-cctv',
      type: DEFAULT_APPROVAL_TYPES[0]!,
      values: { location: '东湖路 (fictional)', from: '2030-03-17', to: '2030-03-17', reason: '追查嫌疑人' },
      author: actor(front!),
      deviceTime: T0,
    });
    await waitFor(() => c.doc.getMap(Root.entries).has('apr-cctv'));
    // (A second device of the cid desk: a refused request stays on the device that wrote it.)
    const c2 = connectGroup(server.wsUrl, G, cid.token);
    await waitFor(() => c2.doc.getMap(Root.entries).has('apr-cctv'));
    requestDecision(c2.doc, {
      id: 'dec-cid',
      approvalId: 'apr-cctv',
      decision: 'approve',
      comment: '',
      by: actor(cid),
      postId: 'p-e-cid',
      deviceTime: T0,
    });
    await waitFor(() => c2.notices.some((n) => n.kind === 'refused' && n.code === 'not-a-leader'));
    c2.destroy();
    const l = connectGroup(server.wsUrl, G, (await login(server.url, 'demo007')).token);
    open.push(l);
    await waitFor(() => l.doc.getMap(Root.entries).has('apr-cctv'));
    await server.moveClock({ advanceMs: MIN });
    requestDecision(l.doc, {
      id: 'dec-lead',
      approvalId: 'apr-cctv',
      decision: 'approve',
      comment: '同意',
      by: actor(leader!),
      postId: 'p-e-leader',
      deviceTime: T0,
    });
    await waitFor(() => readDecision(a.doc, 'apr-cctv'));
    expect(readDecision(a.doc, 'apr-cctv')).toMatchObject({
      decision: 'approve',
      postId: 'p-e-leader',
      at: T0 + 32 * MIN,
    });
    await waitFor(() => inboxItems(leaderInbox.doc).some((e) => e.item.id === `approval.${G}.apr-cctv`));

    // Closure refused while a task is open (CLOSE-2): a close request from a device that had not seen the task.
    addTask(a.doc, {
      id: 'task-cctv',
      title: '调取监控 (fictional)',
      assignee: { kind: 'post', id: 'p-e-data', name: '东城分局数据赋能岗' },
      author: actor(front!),
      deviceTime: T0,
    });
    await waitFor(() => m.doc.getMap(Root.entries).has('task-cctv'));
    m.doc
      .getMap(Root.closeRequests)
      .set('close-1', { id: 'close-1', summary: '现场处置完毕', by: actor(mgmt!), postId: 'p-e-mgmt', deviceTime: T0 });
    await waitFor(() => m.notices.some((n) => n.kind === 'refused' && n.code === 'open-tasks'));
    expect(readClosure(m.doc)).toBeNull();

    // A finding made offline before closure (the cid desk's device loses its connection).
    c.provider.disconnect();
    addFinding(c.doc, {
      id: 'f-offline',
      text: '嫌疑人车辆线索 (fictional)',
      author: actor(cid),
      deviceTime: T0 + 31 * MIN,
    });

    // With the task waived, closing succeeds, stamped, timely (CLOSE-4).
    waiveTask(a.doc, { id: 'waive-1', taskId: 'task-cctv', text: '已由现场取得', by: actor(front!), deviceTime: T0 });
    await waitFor(() => m.doc.getMap(Root.taskEvents).has('waive-1'));
    m.doc
      .getMap(Root.closeRequests)
      .set('close-2', { id: 'close-2', summary: '现场处置完毕', by: actor(mgmt!), postId: 'p-e-mgmt', deviceTime: T0 });
    await waitFor(() => readClosure(a.doc));
    const closure = readClosure(a.doc)!;
    expect(closure).toMatchObject({ timely: true, at: T0 + 32 * MIN });

    // LATE-1: the offline finding arrives after closure: kept, marked received after closure.
    await server.moveClock({ advanceMs: 2 * MIN });
    c.provider.connect();
    await waitFor(() => timeline(a.doc).find((t) => t.id === 'f-offline')?.serverTime);
    const late = timeline(a.doc).find((t) => t.id === 'f-offline')!;
    expect(isAfterClosure(closure.at, late.serverTime)).toBe(true);

    // The group list shows the group to those it concerns only.
    const listed = async (who: LoginResponse) =>
      (await getJson<{ groups: { id: string }[] }>(server, '/api/groups', who.token)).groups.some((g) => g.id === G);
    expect(await listed(await login(server.url, 'demo015'))).toBe(true);
    expect(await listed(await login(server.url, 'demo010'))).toBe(true);
    expect(await listed(await login(server.url, 'demo026'))).toBe(false);
  }, 90_000);
});

describe('escalation across a restart', () => {
  let server: TestServer;
  afterAll(async () => {
    await server.stop();
  });

  it('ESC-4: a deadline armed before SIGKILL escalates after the restart, once', async () => {
    server = await startServer({ manualClock: true });
    await server.moveClock({ set: T0 });
    const G = 'story2-restart';
    const front = await login(server.url, 'demo015');
    const a = connectGroup(server.wsUrl, G, front.token, await oneTap(server, front, G));
    await waitFor(() => a.fullyAcked() && invitationViews(a.doc, 0).every((v) => v.registeredAt !== null));
    a.destroy();
    expect(await server.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });

    await server.restart();
    // The manual clock starts afresh in the new process: set it past the support posts' 30 minutes.
    await server.moveClock({ set: T0 + 31 * MIN });
    const leader = await login(server.url, 'demo007');
    const b = connectGroup(server.wsUrl, G, leader.token);
    await waitFor(
      () => serverEvents(b.doc).some((e) => e.invitationId === inv(G, 'p-e-cid')),
      20_000,
      'overdue after restart',
    );
    await server.moveClock({ advanceMs: 31 * MIN });
    const again = await login(server.url, 'demo007');
    const inbox = connectInbox(server.wsUrl, again.person.id, again.token);
    await waitFor(() => inboxItems(inbox.doc).some((e) => e.item.id === `escalation.${G}.${inv(G, 'p-e-cid')}`));
    const events = serverEvents(b.doc).filter((e) => e.invitationId === inv(G, 'p-e-cid'));
    expect(events).toHaveLength(1);
    expect(
      inboxItems(inbox.doc).filter((e) => e.item.kind === 'escalation' && e.item.refId === inv(G, 'p-e-cid')),
    ).toHaveLength(1);
    b.destroy();
    inbox.destroy();
  }, 90_000);
});
