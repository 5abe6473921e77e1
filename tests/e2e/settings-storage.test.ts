/**
 * PWA-3, STORE-1: the settings page shows the language choice, whether storage is persistent (asked at login),
 * usage and quota from `navigator.storage.estimate()`, and the app version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/startServer.ts';
import { byTestId, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: settings and device storage', () => {
  const suite = browserSuite();

  it('PWA-3 STORE-1: settings show the persist answer, usage and quota, the version, and switch the language', async () => {
    const { page, errors } = await suite.open({ viewport: { width: 1024, height: 900 }, policeNo: 'demo015' });
    await page.getByTestId('nav-settings').click();
    expect(page.url()).toMatch(/#\/settings$/);

    // STORE-1: persistence was asked for at login; the page shows the browser's answer.
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await byTestId(page, 'settings-persist', { 'data-state': persisted ? 'persisted' : 'not-persisted' }).waitFor();

    const usage = page.getByTestId('settings-usage');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="settings-usage"]');
      return Number(el?.getAttribute('data-quota') || 0) > 0;
    });
    const estimate = await page.evaluate(() => navigator.storage.estimate());
    expect(await numAttr(usage, 'data-quota')).toBeGreaterThan(0);
    expect(await numAttr(usage, 'data-quota')).toBeLessThanOrEqual(estimate.quota ?? 0);
    expect(await numAttr(usage, 'data-usage')).toBeGreaterThan(0);
    expect(await usage.textContent()).toMatch(/已用 .+，共 .+/);

    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await page.getByTestId('settings-version').textContent()).toBe(version);

    // zh-CN by default; English from the settings page, kept across a reload.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByTestId('settings-lang-en').check();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByTestId('settings-lang-en').isChecked()).toBe(true);
    await page.getByTestId('settings-lang-zh-CN').check();
    await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
    expect(errors).toEqual([]);
  });
});
