/**
 * The lifecycle every browser test shares: its own relay on port 0 (temp data dir) serving the built app, one
 * headless Chromium, contexts closed and the relay stopped afterwards, and the relay's log printed when a test
 * fails. Call `browserSuite()` inside a `describe.skipIf(!browserAvailable())`.
 *
 * What a test needs beyond that stays in the test: a `beforeAll` registered after `browserSuite()` runs once the
 * relay and the browser are up (seeding, opening pages shared by its tests); one registered before it runs first,
 * and an `afterAll` registered before it runs last (vitest runs after-hooks in reverse order).
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
  /**
   * STORE-3: headless Chromium refuses persistent storage, so the app says so once on the main screen. Other tests
   * open a device that has already seen (dismissed) that notice; a test of the notice itself passes true.
   */
  persistNotice?: boolean;
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, for `expect(errors).toEqual([])`. */
  errors: string[];
}

export interface SuiteHooks {
  /**
   * Called with the relay's log when a test fails, instead of printing it whole: to print it with more (a service
   * worker's console) or less (its tail).
   */
  onFail?: (relayLog: string) => void;
}

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A fresh context (zh-CN, 1280 × 900 unless told) and page, 20 s default timeout. */
  open(options?: OpenOptions): Promise<Opened>;
}

/**
 * `serverOptions` may be a function, called when the relay starts: for options made by an earlier `beforeAll`
 * (e.g. a directory it prepared).
 */
export function browserSuite(
  serverOptions: StartOptions | (() => StartOptions) = {},
  hooks: SuiteHooks = {},
): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireBuiltApp();
    server = await startServer(typeof serverOptions === 'function' ? serverOptions() : serverOptions);
    browser = await launchBrowser();
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail' || !server) return;
    if (hooks.onFail) hooks.onFail(server.output());
    else console.log(server.output());
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  return {
    get server(): TestServer {
      if (!server) throw new Error('browserSuite: the relay is not started (use it in a test or a later beforeAll)');
      return server;
    },
    get browser(): Browser {
      if (!browser)
        throw new Error('browserSuite: the browser is not launched (use it in a test or a later beforeAll)');
      return browser;
    },
    async open(options: OpenOptions = {}): Promise<Opened> {
      const { policeNo, persistNotice, ...contextOptions } = options;
      const context = await this.browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        ...contextOptions,
      });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      if (!persistNotice)
        await context.addInitScript(() => {
          try {
            localStorage.setItem('muster.persistNoticeSeen', '1');
          } catch {
            // a page without storage (about:blank)
          }
        });
      const page = await context.newPage();
      const errors = collectErrors(page);
      if (policeNo) await loginAs(page, this.server.url, policeNo);
      return { context, page, errors };
    },
  };
}
