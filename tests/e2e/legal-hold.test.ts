/**
 * KEEP-2 in a real browser: the duty leader places a legal hold on a closed group with a reason (POL-21); the relay
 * records it with its server time and audits it; the group shows who placed it, when and why, and the station
 * officer's list row a "法律保全" chip. Past the retention (2 days here) the next sync removes the closed group
 * without a hold from the device and keeps the one on hold whole. Phone, tablet and desk, zh-CN and English, axe
 * clean.
 */
import { describe, expect, it } from 'vitest';
import type { AuditListResponse } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { byTestId, storedUpdates } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const DAY = 24 * 3600_000;

describe.skipIf(!browserAvailable())("browser: a leader's legal hold keeps a closed group (KEEP-2)", () => {
  const suite = browserSuite({ manualClock: true, env: { MUSTER_CLOSED_RETENTION_DAYS: '2' } });

  it.each(EVERY_SCREEN)(
    'KEEP-2 POL-21 AUDIT-3: the leader places a hold with a reason; retention keeps the held group and removes the other ($size, $lang)',
    async ({ size, lang }) => {
      const en = lang === 'en';
      const held = `hold-held-${size}-${lang}`;
      const plain = `hold-plain-${size}-${lang}`;
      await seedGroup(suite.server, { id: held, title: `涉诉的纠纷 ${size} ${lang}`, findings: 2 });
      await seedGroup(suite.server, { id: plain, title: `办结的走访 ${size} ${lang}`, findings: 2 });
      await seedClose(suite.server, held);
      await seedClose(suite.server, plain);

      // the duty leader places the hold on the closed group
      const leader = await openAs(suite, 'demo007', size, lang);
      await leader.page.evaluate((h) => (location.hash = h), `#/groups/${held}`);
      const panel = byTestId(leader.page, 'hold-panel', { 'data-held': 'false' });
      await panel.getByTestId('hold-none').waitFor();
      const reason = `当事人已起诉，保全案卷 ${size} ${lang}`;
      await panel.getByTestId('hold-reason').fill(reason);
      await panel.getByTestId('hold-submit').click();
      const state = byTestId(leader.page, 'hold-panel', { 'data-held': 'true' }).getByTestId('hold-state');
      await state.waitFor();
      expect(Number(await state.getAttribute('data-server-time'))).toBeGreaterThan(0);
      expect(await state.innerText()).toContain(en ? 'On legal hold: placed by 郑演示07' : '法律保全中：郑演示07');
      expect(await leader.page.getByTestId('hold-reason-shown').innerText()).toContain(reason);
      // the leader may lift it again: the form now offers that
      expect(await leader.page.getByTestId('hold-submit').innerText()).toBe(
        en ? 'Lift the legal hold' : '解除法律保全',
      );
      expect(await sidewaysOverflow(leader.page)).toEqual([]);
      expect(await axeBlocking(leader.page)).toEqual([]);
      await leader.page.getByTestId('hold-panel').scrollIntoViewIfNeeded();
      await shot(leader.page, `legal-hold-group-${size}-${lang}`);
      expect(leader.errors).toEqual([]);
      await leader.context.close();

      // audited, with the reason
      const auditor = await login(suite.server.url, 'demo004');
      const res = await fetch(`${suite.server.url}/api/audit?action=legal-hold`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      const rows = ((await res.json()) as AuditListResponse).entries;
      expect(rows.some((r) => r.docName === `group:${held}` && r.detail?.['reason'] === reason)).toBe(true);

      // the station officer's device: both groups fetched; the held one carries the chip
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      const row = (id: string) => byTestId(page, 'group-row', { 'data-group-id': id });
      for (const id of [held, plain]) await byTestId(row(id), 'row-offline', { 'data-ready': 'ready' }).waitFor();
      await row(held).getByTestId('chip-hold').waitFor();
      expect(await row(held).getByTestId('chip-hold').innerText()).toBe(en ? 'Legal hold' : '法律保全');
      expect(await row(plain).getByTestId('chip-hold').count()).toBe(0);

      // three days on (the retention is two): the group without a hold leaves the device, the held one stays
      await suite.server.moveClock({ advanceMs: 3 * DAY });
      await page.getByTestId('sync-now').click();
      await byTestId(row(plain), 'row-offline', { 'data-ready': 'removed' }).waitFor();
      await expect.poll(() => storedUpdates(page, plain)).toBe(0);
      expect(await byTestId(row(held), 'row-offline').getAttribute('data-ready')).toBe('ready');
      expect(await storedUpdates(page, held)).toBeGreaterThan(0);
      expect(await axeBlocking(page)).toEqual([]);
      await row(held).scrollIntoViewIfNeeded();
      await shot(page, `legal-hold-list-${size}-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
