/**
 * HIST-10: the inbox archive in the app. An officer's device holds its inbox with eight invitations; while the app is
 * closed six are signed and the relay archives them as it loads the inbox again. Opened again, the device's stale
 * copy is refused (`inbox-stale`): the app drops it and shows the live inbox (the two open invitations only), and
 * the "已归档 / Archived" view lists the six archived ones from the relay, in zh-CN and in English.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inboxItems } from '@muster/core';
import { browserAvailable, collectErrors } from '../helpers/browser.ts';
import { connectInbox, login, waitFor } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedMany, seedSignOff, seededInvitation } from './seed.ts';
import { openAs } from './ux.ts';

const SIGNED = 6;
const item = (g: string) => `invitation.${g}.${seededInvitation(g, 'p-e-cid')}`;

describe.skipIf(!browserAvailable())('browser: the inbox archive (HIST-10)', () => {
  const suite = browserSuite({
    env: {
      MUSTER_INBOX_KEEP_MS: '0',
      MUSTER_INBOX_ARCHIVE_MIN: '3',
      MUSTER_DOC_IDLE_MS: '300',
      MUSTER_LOG_LEVEL: 'debug',
    },
  });
  let groups: string[] = [];

  beforeAll(async () => {
    groups = await seedMany(suite.server, {
      prefix: 'arch',
      count: 8,
      title: (n) => `归档演示 ${n} (fictional)`,
      invite: ['p-e-cid'],
    });
  });

  it('HIST-10: a stale inbox copy starts over with the live inbox; the archive view lists what left it (zh-CN, English)', async () => {
    const { context, page, errors } = await openAs(suite, 'demo010', 'phone', 'zh-CN');
    await page.getByTestId('nav-inbox').click();
    await waitFor(
      async () => (await byTestId(page, 'inbox-item', { 'data-kind': 'invitation' }).count()) === groups.length,
      60_000,
      'eight invitations in the inbox',
    );

    // The app is closed (its copy stays on the device); six are signed, and the relay archives them as it loads
    // the inbox again (once it left memory: its log says so).
    const unloads = () => suite.server.output().match(/document unloaded[^\n]*doc=inbox:demo010/g)?.length ?? 0;
    const before = unloads();
    await page.close();
    await waitFor(() => unloads() > before, 30_000, 'the inbox left the relay memory');
    for (const g of groups.slice(0, SIGNED)) await seedSignOff(suite.server, g, 'p-e-cid', 'demo010');
    const me = await login(suite.server.url, 'demo010');
    const other = connectInbox(suite.server.wsUrl, me.person.id, me.token);
    await waitFor(() => other.provider.synced, 30_000, 'inbox synced');
    expect(
      inboxItems(other.doc)
        .map((e) => e.item.id)
        .sort(),
    ).toEqual(groups.slice(SIGNED).map(item).sort());
    other.destroy();

    // The app opened again: its copy is refused as stale, dropped, and the live inbox shown.
    const again = await context.newPage();
    const againErrors = collectErrors(again);
    await again.goto(`${suite.server.url}/`);
    await again.getByTestId('nav-inbox').click();
    const rows = byTestId(again, 'inbox-item', { 'data-kind': 'invitation' });
    await waitFor(async () => (await rows.count()) === groups.length - SIGNED, 60_000, 'the live inbox only');
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
    expect(shown.sort()).toEqual(groups.slice(SIGNED).map(item).sort());

    // The archive view lists the six from the relay.
    const tab = again.getByTestId('inbox-tab-archive');
    expect(await tab.textContent()).toContain('已归档');
    await tab.click();
    const archived = again.getByTestId('inbox-archive-item');
    await waitFor(async () => (await archived.count()) === SIGNED, 30_000, 'archive listed');
    const ids = await archived.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
    expect(ids.sort()).toEqual(groups.slice(0, SIGNED).map(item).sort());
    await again.getByTestId('inbox-tab-live').click();
    await waitFor(async () => (await rows.count()) === groups.length - SIGNED, 20_000, 'back to the live inbox');
    expect(errors).toEqual([]);
    expect(againErrors).toEqual([]);

    // In English at desk size.
    const en = await openAs(suite, 'demo010', 'desk', 'en');
    await en.page.getByTestId('nav-inbox').click();
    const enTab = en.page.getByTestId('inbox-tab-archive');
    expect(await enTab.textContent()).toContain('Archived');
    await enTab.click();
    await waitFor(
      async () => (await en.page.getByTestId('inbox-archive-item').count()) === SIGNED,
      30_000,
      'archive listed (en)',
    );
    expect(await en.page.getByTestId('inbox-archive-items').textContent()).toContain('Invitation');
    expect(en.errors).toEqual([]);
  }, 300_000);
});
