/**
 * ASSIST-11 in a real browser: the assistant's name an admin configured on the server (宁宁 / Ningning) titles the
 * group's assistant panel and its question box, in the app's language.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: the assistant’s configured name', () => {
  const suite = browserSuite({ env: { MUSTER_ASSISTANT_NAME_ZH: '宁宁', MUSTER_ASSISTANT_NAME_EN: 'Ningning' } });

  it('ASSIST-11: the panel is titled with the configured name, in Chinese and in English', async () => {
    const { page, errors } = await suite.open({ policeNo: 'demo015' });
    const groupId = await startGroup(page, { kind: 'incident', title: '测试（虚构）', incidentNumber: 'J-11' });
    const title = page.getByTestId('assistant-title');
    await expect.poll(() => title.getAttribute('data-name')).toBe('宁宁');
    expect(await title.textContent()).toContain('一事通查 · 宁宁');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-lang-en').check();
    await page.goto(`${suite.server.url}/#/groups/${encodeURIComponent(groupId)}`);
    await expect.poll(() => title.getAttribute('data-name')).toBe('Ningning');
    expect(await title.textContent()).toContain('Ningning');
    expect(errors).toEqual([]);
  });
});
