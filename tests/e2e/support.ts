/**
 * Shared steps of the browser end-to-end tests: the built app must exist, logging in through the form, and the
 * facts a test waits on before it cuts the network (the directory is cached on the device).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { pollPage } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/startServer.ts';

export const DEMO_PASSWORD = 'muster-demo';
/** LOCK-1: the app-lock PIN the tests set after a first login on a device. */
export const DEMO_PIN = '2468';
export const MGMT_POST = 'p-e-mgmt';

/** The server serves `web/dist`; browser tests need it built (`npm test` builds before running vitest). */
export function requireBuiltApp(): void {
  const dist = path.join(REPO_ROOT, 'web/dist');
  const missing = ['index.html', 'sw.js'].filter((f) => !fs.existsSync(path.join(dist, f)));
  if (missing.length > 0) {
    throw new Error(
      `The built web app is missing (${missing.map((f) => `web/dist/${f}`).join(', ')}): run \`npm run build\` ` +
        `first (\`npm test\` does it before vitest).`,
    );
  }
}

/** Logs in through the form and waits for the group list. */
export async function loginAs(page: Page, baseUrl: string, policeNo: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-policeNo').fill(policeNo);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  // Enter in the password field submits the form as an officer's keyboard does. A click at the button's position can
  // miss on a cold start, when a status banner appearing above it moves the form down between aim and click
  // (CI, phone size: no login ever reached the relay).
  await page.getByTestId('login-password').press('Enter');
  await setPinIfAsked(page);
  await page.getByTestId('new-group').waitFor();
}

/**
 * LOCK-1: after a login the app asks a device that keeps no PIN for this officer to set one; sets DEMO_PIN then,
 * and returns once the app (its "new group" control) or the PIN form shows.
 */
export async function setPinIfAsked(page: Page): Promise<void> {
  const form = page.getByTestId('pin-set-form');
  await form.or(page.getByTestId('new-group')).first().waitFor();
  if (!(await form.isVisible())) return;
  await page.getByTestId('pin-new').fill(DEMO_PIN);
  await page.getByTestId('pin-confirm').fill(DEMO_PIN);
  await page.getByTestId('pin-set').click();
}

/** Waits until the device database holds the directory with `postId` (so inviting it works offline). */
export async function waitForCachedDirectory(page: Page, postId: string): Promise<void> {
  await pollPage(
    page,
    (id: string) =>
      new Promise<boolean>((resolve) => {
        const req = indexedDB.open('muster');
        req.onerror = () => resolve(false);
        req.onsuccess = () => {
          const db = req.result;
          try {
            const get = db.transaction('directory').objectStore('directory').get('current');
            get.onsuccess = () => {
              const row = get.result as { posts?: { id: string }[] } | undefined;
              db.close();
              resolve(Boolean(row?.posts?.some((p) => p.id === id)));
            };
            get.onerror = () => (db.close(), resolve(false));
          } catch {
            db.close();
            resolve(false);
          }
        };
      }),
    postId,
    { what: `the directory with ${postId} cached on the device` },
  );
}

/** Starts a group from the form and returns its id once the group view shows it. */
export async function startGroup(
  page: Page,
  input: { kind: 'incident' | 'task'; title: string; incidentNumber?: string },
): Promise<string> {
  await page.getByTestId('new-group').click();
  await page.getByTestId(`group-kind-${input.kind}`).check();
  await page.getByTestId('group-title').fill(input.title);
  if (input.incidentNumber !== undefined) await page.getByTestId('incident-number').fill(input.incidentNumber);
  await page.getByTestId('group-create').click();
  const meta = page.getByTestId('group-meta');
  await meta.waitFor();
  const id = await meta.getAttribute('data-group-id');
  if (!id) throw new Error('group view without data-group-id');
  return id;
}

/** Adds a finding in the open group view and waits until the timeline shows it. */
export async function addFinding(page: Page, text: string): Promise<void> {
  const entries = page.getByTestId('timeline-entry');
  const before = await entries.count();
  await page.getByTestId('finding-text').fill(text);
  await page.getByTestId('finding-add').click();
  await entries.nth(before).waitFor();
}

/** `[data-testid=…]` plus attribute conditions, e.g. `byTestId(page, 'sync-state', { 'data-state': 'saved' })`. */
export function byTestId(scope: Page | Locator, testId: string, attrs: Record<string, string> = {}): Locator {
  const sel = Object.entries(attrs)
    .map(([k, v]) => `[${k}="${v}"]`)
    .join('');
  return scope.locator(`[data-testid="${testId}"]${sel}`);
}

/** A numeric data attribute (NaN when absent or empty). */
export async function numAttr(loc: Locator, name: string): Promise<number> {
  const v = await loc.getAttribute(name);
  return v === null || v === '' ? Number.NaN : Number(v);
}

/** The document updates the device keeps for a group (y-dexie's rows). */
export function storedUpdates(page: Page, id: string): Promise<number> {
  return page.evaluate(
    (k) =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('muster');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const count = db.transaction('$groups.doc_updates').objectStore('$groups.doc_updates').index('k').count(k);
          count.onsuccess = () => (db.close(), resolve(count.result));
          count.onerror = () => (db.close(), reject(count.error));
        };
      }),
    id,
  );
}
