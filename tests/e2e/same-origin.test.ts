/**
 * PWA-2: nothing is fetched from another origin (the police network reaches none): loading the app, logging in
 * and opening the list make requests to the app's own origin only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser, waitForServiceWorker } from '../helpers/browser.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { loginAs, requireBuiltApp } from './support.ts';

describe.skipIf(!browserAvailable())('browser: same origin only', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    requireBuiltApp();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('PWA-2: every request of the page and its service worker goes to the app origin', async () => {
    const context = await browser!.newContext();
    const origins = new Set<string>();
    context.on('request', (req) => {
      const u = new URL(req.url());
      if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') {
        origins.add(`${u.protocol}//${u.host}`);
      }
    });
    const page = await context.newPage();
    page.on('websocket', (ws) => origins.add(new URL(ws.url()).origin.replace(/^http/, 'ws')));
    await loginAs(page, server!.url, 'demo015');
    await waitForServiceWorker(page);
    const host = new URL(server!.url).host;
    expect(origins.size).toBeGreaterThan(0);
    expect([...origins].filter((o) => !o.endsWith(`//${host}`))).toEqual([]);
    await context.close();
  });
});
