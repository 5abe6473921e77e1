/**
 * ASSIST-10 in a real browser: a question asked offline reaches a group that was closed and sealed meanwhile. The
 * relay cuts it (`sealed`); the asker's thread then says it was not accepted, with the reason, instead of "will be
 * answered when online" or "looking up…" forever.
 */
import { describe, expect, it } from 'vitest';
import { readClosure, readSeal, requestClose, requestSeal } from '@muster/core';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { actorOf } from '../helpers/closedGroup.ts';
import { byTestId } from './support.ts';
import { seedGroup } from './seed.ts';
import { browserSuite } from './suite.ts';

const G = 'g-assist-refused';

describe.skipIf(!browserAvailable())('browser: a question cut by a sealed group', () => {
  const suite = browserSuite();

  it('ASSIST-10 SYNC-5: the cut question shows not accepted, with the reason, and waits for nothing', async () => {
    await seedGroup(suite.server, { id: G, title: '纠纷（演示）', invite: ['p-e-mgmt'] });
    const { context, page, errors } = await suite.open({ policeNo: 'demo015' });
    await waitForServiceWorker(page);
    await page.goto(`${suite.server.url}/#/groups/${G}`);
    await page.getByTestId('assistant-input').waitFor();

    // Offline, the officer asks; it waits for coverage.
    await context.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    await page.getByTestId('assistant-input').fill('10020260110 机主是谁');
    await page.getByTestId('assistant-ask').click();
    const item = page.getByTestId('assistant-item').last();
    await byTestId(item, 'assistant-waiting', { 'data-waiting': 'offline' }).waitFor();

    // Meanwhile the group is closed (by the initiator's other device) and sealed by the management desk.
    const [front, mgmt] = await Promise.all([login(suite.server.url, 'demo015'), login(suite.server.url, 'demo005')]);
    const other = connectGroup(suite.server.wsUrl, G, front.token);
    const desk = connectGroup(suite.server.wsUrl, G, mgmt.token);
    try {
      await waitFor(() => other.provider.synced, 20_000, 'other device synced');
      requestClose(
        other.doc,
        { id: 'close-1', summary: '处置完毕', by: actorOf(front), postId: null, deviceTime: Date.now() },
        Date.now(),
      );
      await waitFor(() => desk.provider.synced && readClosure(desk.doc), 20_000, 'closed');
      requestSeal(desk.doc, { id: 'seal-1', by: actorOf(mgmt), postId: 'p-e-mgmt', deviceTime: Date.now() });
      await waitFor(() => readSeal(other.doc), 20_000, 'sealed');
    } finally {
      other.destroy();
      desk.destroy();
    }

    // Back online: the question is cut; the thread says so and why.
    await context.setOffline(false);
    const refused = byTestId(item, 'assistant-refused', { 'data-code': 'sealed' });
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toContain('本群已封存');
    expect(await item.getByTestId('assistant-waiting').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
