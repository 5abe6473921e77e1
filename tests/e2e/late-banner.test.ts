/**
 * LAYOUT-4: a notice that arrives late (on a cold start the service worker's "ready to work offline" comes after the
 * login form is drawn) lies over the foot of the window; the login button does not move under a finger or pointer
 * aimed at it, and the notice does not cover it. Phone, tablet and desk, zh-CN and English.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, SIZES, shot } from './ux.ts';

interface Sample {
  top: number;
  left: number;
  banner: boolean;
}

describe.skipIf(!browserAvailable())('browser: a late notice does not move the login form (LAYOUT-4)', () => {
  const suite = browserSuite();

  it.each(EVERY_SCREEN)(
    'LAYOUT-4: the login button stays put when the offline-ready notice appears on a cold start ($size, $lang)',
    async ({ size, lang }) => {
      const { context, page, errors } = await suite.open({ viewport: SIZES[size], deviceScaleFactor: 1 });
      await context.addInitScript((l: string) => {
        localStorage.setItem('muster.locale', l);
        // every frame: where the login button is, and whether the late notice is shown yet
        const samples: Sample[] = [];
        (window as unknown as { loginSamples: Sample[] }).loginSamples = samples;
        const tick = (): void => {
          const b = document.querySelector('[data-testid="login-submit"]');
          if (b) {
            const r = b.getBoundingClientRect();
            samples.push({
              top: Math.round(r.top),
              left: Math.round(r.left),
              banner: document.querySelector('[data-testid="offline-ready"]') !== null,
            });
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }, lang);
      await page.goto(`${suite.server.url}/`);
      await page.getByTestId('login-submit').waitFor();
      // a cold start: the service worker installs after the form is drawn and the notice follows
      await page.getByTestId('offline-ready').waitFor();
      const samplesNow = (): Promise<Sample[]> =>
        page.evaluate(() => (window as unknown as { loginSamples: Sample[] }).loginSamples.slice());
      await expect.poll(async () => (await samplesNow()).filter((s) => s.banner).length).toBeGreaterThan(5);
      const samples = await samplesNow();
      const before = samples.filter((s) => !s.banner);
      const after = samples.filter((s) => s.banner);
      // the test saw the button both without the notice and with it (else it could not tell a shift)
      expect(before.length).toBeGreaterThan(0);
      const last = before[before.length - 1]!;
      expect(new Set(after.map((s) => `${s.top},${s.left}`))).toEqual(new Set([`${last.top},${last.left}`]));
      // nothing lies over the button: a click at its centre reaches it
      const covered = await page.getByTestId('login-submit').evaluate((b) => {
        const r = b.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit !== b && !b.contains(hit);
      });
      expect(covered).toBe(false);
      await shot(page, `late-banner-login-${size}-${lang}`);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
