/**
 * PWA-2: nothing is fetched from another origin (the police network reaches none): loading the app, logging in
 * and opening the list make requests to the app's own origin only.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { loginAs } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: same origin only', () => {
  const suite = browserSuite();

  it('PWA-2: every request of the page and its service worker goes to the app origin', async () => {
    const { context, page } = await suite.open();
    const origins = new Set<string>();
    context.on('request', (req) => {
      const u = new URL(req.url());
      if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') {
        origins.add(`${u.protocol}//${u.host}`);
      }
    });
    page.on('websocket', (ws) => origins.add(new URL(ws.url()).origin.replace(/^http/, 'ws')));
    await loginAs(page, suite.server.url, 'demo015');
    await waitForServiceWorker(page);
    const host = new URL(suite.server.url).host;
    expect(origins.size).toBeGreaterThan(0);
    expect([...origins].filter((o) => !o.endsWith(`//${host}`))).toEqual([]);
  });
});
