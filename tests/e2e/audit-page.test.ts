/**
 * AUDIT-4: the audit page in the web app: auditors find it in the nav and read the log filtered by person and
 * action, older pages on demand, in zh-CN and English; anyone else has no such link and is refused.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A11Y-1 on the audit page: axe's serious and critical violations, one line each. */
async function axeBlocking(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const r = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!browserAvailable())('browser: audit page', () => {
  const suite = browserSuite();

  it('AUDIT-4: an officer has no audit link and the page refuses them', async () => {
    const { page, errors } = await suite.open({ policeNo: 'demo015' });
    await page.getByTestId('nav-settings').waitFor();
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.evaluate(() => (location.hash = '#/audit'));
    await byTestId(page, 'audit-error', { 'data-kind': 'forbidden' }).waitFor();
    expect(await page.getByTestId('audit-row').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('AUDIT-4, AUDIT-5, AUDIT-6: an auditor filters the log by person and action and pages back, in zh-CN and English', async () => {
    // 53 group lists by one officer: more than one page (50) of `groups-listed` rows.
    const officer = await login(suite.server.url, 'demo016');
    for (let i = 0; i < 53; i++) {
      const res = await fetch(`${suite.server.url}/api/groups`, {
        headers: { authorization: `Bearer ${officer.token}` },
      });
      await res.arrayBuffer();
    }
    // The app's CSP (script-src 'self') would refuse the injected axe script; the context bypasses it.
    const { page, errors } = await suite.open({ policeNo: 'demo004', bypassCSP: true });
    await page.getByTestId('nav-audit').click();
    expect(page.url()).toMatch(/#\/audit$/);
    await page.getByTestId('audit-row').first().waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('审计日志');
    // AUDIT-6: the device witnesses the chain's head at once, and on the next visit finds the log still holds it.
    await byTestId(page, 'audit-witness', { 'data-state': 'first' }).waitFor();
    await page.reload();
    await byTestId(page, 'audit-witness', { 'data-state': 'holds' }).waitFor();
    await page.getByTestId('audit-row').first().waitFor();

    await page.getByTestId('audit-person').fill('demo016');
    await page.getByTestId('audit-action').selectOption('groups-listed');
    await page.getByTestId('audit-search').click();
    await byTestId(page, 'audit-count', { 'data-count': '50' }).waitFor();
    const rows = page.getByTestId('audit-row');
    const actors = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-actor')));
    const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(new Set(actors)).toEqual(new Set(['demo016']));
    expect(new Set(actions)).toEqual(new Set(['groups-listed']));
    expect(await rows.first().textContent()).toContain('查看协同列表');

    await page.getByTestId('audit-more').click();
    await byTestId(page, 'audit-count', { 'data-count': '53' }).waitFor();
    await page.getByTestId('audit-end').waitFor();
    expect(await axeBlocking(page), 'A11Y-1 on the audit page').toEqual([]);
    const seqs = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(53);

    // English: the same rows in the other catalogue.
    await page.getByTestId('lang-switch').click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
    expect(await rows.first().textContent()).toContain('Listed collaborations');

    // A person with no rows: nothing matches.
    await page.getByTestId('audit-person').fill('nobody-at-all');
    await page.getByTestId('audit-search').click();
    await page.getByTestId('audit-empty').waitFor();
    expect(errors).toEqual([]);
  });
});
