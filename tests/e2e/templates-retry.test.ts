/**
 * DIR-7 in a real browser: the first fetch of the group templates after a login fails (the server answers 503, as
 * a relay restarting or an overloaded proxy would); the app fetches them again by itself, and one tap offers the
 * assault template without a reload, a re-login or an `online` event.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId, loginAs } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: templates fetched again after a failure', () => {
  const suite = browserSuite();

  it('DIR-7: a failed templates fetch is retried, and one tap shows the templates', async () => {
    const { context, page, errors } = await suite.open({ viewport: { width: 800, height: 1280 } });
    const answers: number[] = [];
    await context.route('**/api/templates', async (route) => {
      if (answers.length === 0) {
        answers.push(503);
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"error":"unavailable","message":"try later"}',
        });
        return;
      }
      const res = await route.fetch();
      answers.push(res.status());
      await route.fulfill({ response: res });
    });
    page.on('console', () => {}); // the app warns of the failure on the console; that is expected here

    await loginAs(page, suite.server.url, 'demo015');
    await page.getByTestId('new-group').click();
    await byTestId(page, 'template-option', { 'data-incident-type': 'assault' }).waitFor({ timeout: 60_000 });
    expect(answers[0]).toBe(503);
    expect(answers.slice(1)).toContain(200);
    expect(errors).toEqual([]);
  }, 120_000);
});
