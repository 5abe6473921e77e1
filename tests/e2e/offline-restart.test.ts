/**
 * The app shell after a browser restart with nothing answering (after one visit the app opens and works with
 * no network, also after the browser restarts): a persistent profile, one online visit, then the browser
 * and the server both go away. The relaunched browser opens the app from the precache with the cached session,
 * lists the groups from before and starts a new one offline; the server comes back on the same port (same origin,
 * so the same IndexedDB and service worker) and the new group is saved there.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GroupListResponse } from '@muster/protocol';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, collectErrors, launchPersistent, waitForServiceWorker } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { addFinding, byTestId, loginAs, numAttr, requireBuiltApp, startGroup } from './support.ts';

const VIEWPORT = { width: 1024, height: 768 };

describe.skipIf(!browserAvailable())('browser: the app after a browser restart with no network', () => {
  let server: TestServer | undefined;
  let context: BrowserContext | undefined;
  let removeProfile: (() => void) | undefined;

  beforeAll(async () => {
    requireBuiltApp();
    server = await startServer();
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.log(server?.output());
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    removeProfile?.();
  });

  it('GRP-1 SYNC-1 SYNC-2: opens from the precache with the cached session, starts a group offline, saves it when the relay is back on the same origin', async () => {
    const srv = server!;
    const base = srv.url;
    const port = srv.port;

    // First visit, online: log in, start a group, let it be saved; the service worker controls the page.
    const first = await launchPersistent(undefined, { viewport: VIEWPORT });
    context = first.context;
    removeProfile = first.remove;
    context.setDefaultTimeout(20_000);
    const page1 = context.pages()[0] ?? (await context.newPage());
    const errors1 = collectErrors(page1);
    await loginAs(page1, base, 'demo015');
    await waitForServiceWorker(page1);
    const beforeId = await startGroup(page1, { kind: 'incident', title: '重启前的协同', incidentNumber: 'J2026-0100' });
    await byTestId(page1, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    await page1.getByTestId('home').click();
    await byTestId(page1, 'group-row', { 'data-group-id': beforeId }).waitFor();
    expect(errors1).toEqual([]);

    // The browser closes and the server goes away (its data dir stays).
    await first.close();
    context = undefined;
    await srv.kill('SIGTERM');

    // Relaunch the same profile: nothing answers at the origin, the service worker serves the shell.
    const second = await launchPersistent(first.profileDir, { viewport: VIEWPORT });
    context = second.context;
    context.setDefaultTimeout(20_000);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = collectErrors(page);
    const opened = await page.goto(`${base}/`);
    expect(opened?.fromServiceWorker()).toBe(true);
    // The cached session: straight to the list, no login form.
    await byTestId(page, 'group-row', { 'data-group-id': beforeId }).waitFor();
    expect(await page.getByTestId('login-form').count()).toBe(0);
    expect(
      await byTestId(page, 'group-row', { 'data-group-id': beforeId }).getByTestId('group-row-title').textContent(),
    ).toBe('重启前的协同');

    // GRP-1: a new group starts with no server; its changes wait on the device.
    const newId = await startGroup(page, { kind: 'task', title: '服务器停机时发起' });
    await addFinding(page, '离线记录：现场已封锁');
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();
    expect(await numAttr(page.getByTestId('sync-state'), 'data-pending')).toBeGreaterThan(0);
    expect(await byTestId(page, 'timeline-entry', { 'data-stamped': 'true' }).count()).toBe(0);

    // The relay comes back on the same port (same origin) and data dir: the group is saved and stamped.
    const backAt = Date.now();
    await srv.restart({ samePort: true });
    expect(srv.port).toBe(port);
    await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor({ timeout: 30_000 });
    await byTestId(page, 'timeline-entry', { 'data-stamped': 'true' }).waitFor();
    const stamp = await numAttr(page.getByTestId('server-time'), 'data-server-time');
    expect(stamp).toBeGreaterThanOrEqual(backAt);
    expect(stamp).toBeLessThanOrEqual(Date.now());

    // The server has both groups (the one from before survived its restart; the new one arrived).
    const { token } = await login(base, 'demo015');
    const res = await fetch(`${base}/api/groups`, { headers: { authorization: `Bearer ${token}` } });
    const list = (await res.json()) as GroupListResponse;
    expect(list.groups.map((g) => g.id)).toEqual(expect.arrayContaining([beforeId, newId]));
    expect(list.groups.find((g) => g.id === newId)?.entryCount).toBe(1);

    expect(errors).toEqual([]);
  }, 90_000);
});
