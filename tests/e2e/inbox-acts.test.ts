/**
 * UX-1, UX-2: the inbox on a phone, a tablet and a desk, in zh-CN and English. Each row reads in full (kind and
 * time, then the group and the text across the row); opening an item shows its group scrolled to, and marking,
 * the thing it is about; the row itself offers the one act the item asks for (acknowledge a clue, sign an
 * invitation), written as on the group page; opening one escalation leaves the others unread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Root } from '@muster/core';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { POSTS, seedGroup, seededInvitation } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';
import type { Page } from 'playwright-core';

const MIN = 60_000;
const G = 'ux-inbox-1';
const CLUE = 'ux-clue-1';
const CLUE_TEXT = '嫌疑人身穿黑色外套，骑电动车向北逃离，车牌尾号 37，请沿途巡逻民警留意 (fictional)';

/** Records of a root map of the group as the relay holds them (read by a Node client of the initiator). */
async function recordsOf(server: { url: string; wsUrl: string }, root: string): Promise<Record<string, unknown>[]> {
  const me = await login(server.url, 'demo015');
  const c = connectGroup(server.wsUrl, G, me.token);
  try {
    await waitFor(() => c.provider.synced, 20_000, 'synced');
    return [...c.doc.getMap<Record<string, unknown>>(root).values()];
  } finally {
    c.destroy();
  }
}

/** Whether the element is wholly inside the window. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight && r.height > 0;
  }, selector);
}

describe.skipIf(!browserAvailable())('browser: the inbox acts (UX-1, UX-2)', () => {
  const suite = browserSuite({ manualClock: true });

  beforeAll(async () => {
    // A long group (forty findings) inviting three support posts, with a clue to the east patrol brigade.
    await seedGroup(suite.server, {
      id: G,
      title: '商店手机被抢 (演示)',
      findings: 40,
      invite: ['p-e-cid', 'p-e-legal', 'p-e-traffic'],
      clue: { id: CLUE, text: CLUE_TEXT, units: ['br-e-patrol'] },
    });
    // past the support posts' 30 minutes by the server's clock: three escalations to the duty leader
    await suite.server.moveClock({ advanceMs: 31 * MIN });
  });

  it.each(EVERY_SCREEN)(
    'UX-1 UX-2 A11Y-1: a patrol officer reads the clue row whole and opens the group at the clue ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo014', size, lang);
      await page.getByTestId('nav-inbox').click();
      const row = byTestId(page, 'inbox-item', { 'data-kind': 'clue' });
      await row.waitFor();

      // UX-1: the text runs across the row (not a column a few characters wide), and nothing scrolls sideways
      const text = await row.locator('.text').boundingBox();
      const open = await row.getByTestId('inbox-open').boundingBox();
      expect(text!.width).toBeGreaterThan(open!.width * 0.5);
      expect(text!.width).toBeGreaterThan(180);
      expect(await sidewaysOverflow(page)).toEqual([]);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `inbox-${size}-${lang}`);

      // UX-2: opening it shows the group scrolled to the clue, marked; the long page above it is out of view
      await row.getByTestId('inbox-open').click();
      await page.waitForURL(`**/#/groups/${G}/item/clue/${CLUE}`);
      const focused = `[data-testid="timeline-entry"][data-entry-id="${CLUE}"][data-focused="true"]`;
      await page.locator(focused).waitFor();
      await expect.poll(() => inView(page, focused)).toBe(true);
      expect(await inView(page, `[data-entry-id="${G}-f0"]`)).toBe(false);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `inbox-open-clue-${size}-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it('UX-2: a patrol officer acknowledges the clue from the inbox row; the relay holds the acknowledgement', async () => {
    const { page, errors } = await openAs(suite, 'demo011', 'phone', 'zh-CN');
    await page.getByTestId('nav-inbox').click();
    const row = byTestId(page, 'inbox-item', { 'data-kind': 'clue' });
    await row.getByTestId('inbox-act').click();
    await row.getByTestId('inbox-act-done').waitFor();
    expect(await row.getAttribute('data-read')).toBe('true');
    await waitFor(
      async () =>
        (await recordsOf(suite.server, Root.acks)).some(
          (a) =>
            a['entryId'] === CLUE && a['kind'] === 'ack' && (a['by'] as { personId: string }).personId === 'demo011',
        ),
      20_000,
      'the acknowledgement on the relay',
    );
    expect(errors).toEqual([]);
  });

  it('UX-2: a desk signs the invitation from the inbox row in English; the relay holds the sign-off for its post', async () => {
    const { page, errors } = await openAs(suite, 'demo010', 'desk', 'en');
    await page.getByTestId('nav-inbox').click();
    const row = byTestId(page, 'inbox-item', { 'data-kind': 'invitation' });
    const act = row.getByTestId('inbox-act');
    expect(await act.getAttribute('data-act')).toBe('sign');
    expect(await act.textContent()).toBe('Sign');
    await act.click();
    await row.getByTestId('inbox-act-done').waitFor();
    await waitFor(
      async () =>
        (await recordsOf(suite.server, Root.signoffs)).some(
          (s) =>
            s['invitationId'] === seededInvitation(G, 'p-e-cid') &&
            s['postId'] === POSTS['p-e-cid']!.id &&
            (s['by'] as { personId: string }).personId === 'demo010',
        ),
      20_000,
      'the sign-off on the relay',
    );
    expect(errors).toEqual([]);
  });

  it('UX-2: opening one escalation shows it and leaves the other escalations unread (phone zh-CN, desk English)', async () => {
    const legal = seededInvitation(G, 'p-e-legal');
    const traffic = seededInvitation(G, 'p-e-traffic');
    const unread = (page: Page) =>
      byTestId(page, 'inbox-item', { 'data-kind': 'escalation', 'data-read': 'false' }).count();

    const phone = await openAs(suite, 'demo007', 'phone', 'zh-CN');
    await phone.page.getByTestId('nav-inbox').click();
    await expect.poll(() => unread(phone.page), { timeout: 20_000 }).toBe(3);
    await byTestId(phone.page, 'inbox-item', { 'data-item-id': `escalation.${G}.${legal}` })
      .getByTestId('inbox-open')
      .click();
    const event = `[data-testid="timeline-event"][data-invitation-id="${legal}"][data-focused="true"]`;
    await phone.page.locator(event).waitFor();
    await expect.poll(() => inView(phone.page, event)).toBe(true);
    await shot(phone.page, 'escalation-open-phone-zh-CN');
    await phone.page.getByTestId('nav-inbox').click();
    await expect.poll(() => unread(phone.page)).toBe(2);
    expect(phone.errors).toEqual([]);

    // another device of the leader, a desk in English: the read marker synced; the next one opens alone
    const desk = await openAs(suite, 'demo007', 'desk', 'en');
    await desk.page.getByTestId('nav-inbox').click();
    await expect.poll(() => unread(desk.page), { timeout: 20_000 }).toBe(2);
    await byTestId(desk.page, 'inbox-item', { 'data-item-id': `escalation.${G}.${traffic}` })
      .getByTestId('inbox-open')
      .click();
    const event2 = `[data-testid="timeline-event"][data-invitation-id="${traffic}"][data-focused="true"]`;
    await desk.page.locator(event2).waitFor();
    expect(await axeBlocking(desk.page)).toEqual([]);
    await shot(desk.page, 'escalation-open-desk-en');
    await desk.page.getByTestId('nav-inbox').click();
    await expect.poll(() => unread(desk.page)).toBe(1);
    expect(desk.errors).toEqual([]);
  });
});
