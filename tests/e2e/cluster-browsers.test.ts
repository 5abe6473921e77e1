/**
 * SCALE-3 in real browsers: two relay nodes on one PostgreSQL schema and their own Redis, HAProxy in front. Officer
 * A's page is served by node 1, the management desk's page by node 2 (their own origins), and a Node client comes in
 * through the balancer. A starts a group and invites the management post; the desk signs on node 2; A sees the
 * sign-off stamped by the owning node; the findings of all three reach everyone, each stamped once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addFinding as addFindingDoc, stampOf, timeline, Root } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { browserAvailable, collectErrors, launchBrowser } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { MGMT_POST, addFinding, byTestId, loginAs, numAttr, requireBuiltApp, startGroup } from './support.ts';

describe.skipIf(!browserAvailable())('browser: pages on different relay nodes collaborate on one group', () => {
  let cluster: TestCluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const clients: GroupClient[] = [];
  let failed = false;

  beforeAll(async () => {
    requireBuiltApp();
    cluster = await TestCluster.start({ nodes: 2 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    if (failed) console.log(cluster?.output());
    await cluster?.stop();
  }, 60_000);

  async function open(baseUrl: string, policeNo: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    context.setDefaultTimeout(30_000);
    await context.addInitScript(() => {
      try {
        localStorage.setItem('muster.persistNoticeSeen', '1');
      } catch {
        // a page without storage
      }
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await loginAs(page, baseUrl, policeNo);
    return { page, errors };
  }

  function texts(page: Page): Promise<string[]> {
    return page.getByTestId('timeline-text').allTextContents();
  }

  it('SCALE-3 SIGN-1 STAMP-1: A on node 1 invites, the desk on node 2 signs, A sees the stamped sign-off; findings from both pages and a client through the balancer reach all', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const a = await open(n1!.server.url, 'demo015');
      const b = await open(n2!.server.url, 'demo005');

      // A starts a group on node 1 and invites the management post; node 1 registers it (waiting).
      const groupId = await startGroup(a.page, { kind: 'task', title: '两个节点协同 (fictional)' });
      await a.page.getByTestId('invite-post').selectOption(MGMT_POST);
      await a.page.getByTestId('invite-submit').click();
      await byTestId(a.page, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'waiting' }).waitFor();
      await addFinding(a.page, '甲：现场已封控 (fictional)');
      await byTestId(a.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      const owner = await cluster.ownerOf(groupDocName(groupId));
      expect(owner?.id).toBe('n1');

      // The desk opens it on node 2 (relayed to the owner), sees A's stamped finding and signs.
      await b.page.goto(`${n2!.server.url}/#/groups/${groupId}`);
      await byTestId(b.page, 'timeline-entry', { 'data-stamped': 'true' }).first().waitFor();
      const inviteB = byTestId(b.page, 'invitation-row', { 'data-post-id': MGMT_POST });
      await inviteB.getByTestId('sign-button').click();
      const signedB = byTestId(b.page, 'invitation-row', {
        'data-post-id': MGMT_POST,
        'data-status': 'signed-on-time',
      });
      await signedB.getByTestId('signoff-server-time').waitFor();

      // A sees the sign-off with the same server stamp.
      const signedA = byTestId(a.page, 'invitation-row', {
        'data-post-id': MGMT_POST,
        'data-status': 'signed-on-time',
      });
      await signedA.getByTestId('signoff-server-time').waitFor();
      const stampA = await numAttr(signedA.getByTestId('signoff-server-time'), 'data-server-time');
      const stampB = await numAttr(signedB.getByTestId('signoff-server-time'), 'data-server-time');
      expect(stampA).toBe(stampB);
      expect(Number.isFinite(stampA)).toBe(true);

      // A Node client through the balancer, and findings from all three.
      const c = await login(cluster.url, 'demo007');
      const C = connectGroup(cluster.wsUrl, groupId, c.token);
      clients.push(C);
      await waitFor(() => C.provider.synced, 30_000, 'the balancer client synced');
      await addFinding(b.page, '乙：监控已调取 (fictional)');
      addFindingDoc(C.doc, {
        id: 'from-balancer',
        text: '丙：经负载均衡的客户端 (fictional)',
        author: { personId: c.person.id, name: c.person.name },
        deviceTime: Date.now(),
      });
      const all = ['甲：现场已封控 (fictional)', '乙：监控已调取 (fictional)', '丙：经负载均衡的客户端 (fictional)'];
      for (const page of [a.page, b.page]) {
        await byTestId(page, 'timeline-entry', { 'data-stamped': 'true' }).nth(2).waitFor();
        expect((await texts(page)).sort()).toEqual([...all].sort());
      }
      await waitFor(
        () => all.every((t) => timeline(C.doc).some((e) => 'text' in e.entry && e.entry.text === t)),
        30_000,
        'every finding at the balancer client',
      );
      await waitFor(() => C.fullyAcked(), 30_000, 'the balancer client acknowledged');
      await waitFor(() => stampOf(C.doc, Root.entries, 'from-balancer'), 30_000, 'the client finding stamped');

      // One stamp per item, written once, by the owner, which never changed.
      const stamps = C.doc.getMap(Root.stamps);
      for (const [key] of stamps) {
        let n = 0;
        for (let item = stamps._map.get(key) ?? null; item; item = item.left) n++;
        expect(n, `stamp ${key} written ${n} times`).toBe(1);
      }
      for (const page of [a.page, b.page]) {
        await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      }
      expect((await cluster.ownerOf(groupDocName(groupId)))?.id).toBe('n1');
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 180_000);
});
