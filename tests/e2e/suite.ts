/**
 * The lifecycle every browser test shares: its own relay on port 0 (temp data dir) serving the built app, one
 * headless Chromium, contexts closed and the relay stopped afterwards, and the relay's log printed when a test
 * fails. Call `browserSuite()` inside a `describe.skipIf(!browserAvailable())`.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { collectErrors, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/startServer.ts';
import type { StartOptions, TestServer } from '../helpers/startServer.ts';
import { loginAs, requireBuiltApp } from './support.ts';

export interface OpenOptions extends BrowserContextOptions {
  /** Logs in as this demo officer (police number) before returning. */
  policeNo?: string;
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, for `expect(errors).toEqual([])`. */
  errors: string[];
}

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A fresh context (zh-CN, 1280 × 900 unless told) and page, 20 s default timeout. */
  open(options?: OpenOptions): Promise<Opened>;
}

export function browserSuite(serverOptions: StartOptions = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireBuiltApp();
    server = await startServer(serverOptions);
    browser = await launchBrowser();
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.log(server?.output());
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  return {
    get server(): TestServer {
      if (!server) throw new Error('browserSuite: the relay is not started (use it inside a test)');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('browserSuite: the browser is not launched (use it inside a test)');
      return browser;
    },
    async open(options: OpenOptions = {}): Promise<Opened> {
      const { policeNo, ...contextOptions } = options;
      const context = await this.browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        ...contextOptions,
      });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const errors = collectErrors(page);
      if (policeNo) await loginAs(page, this.server.url, policeNo);
      return { context, page, errors };
    },
  };
}
