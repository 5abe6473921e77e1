/**
 * Shared steps of the field UX browser tests: the three screen sizes and two languages each screen is tried at, a
 * login in a chosen language, axe on the current screen, and screenshots for a person to look at (written only when
 * MUSTER_UX_SHOTS names a directory; a test never depends on them).
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { loginAs } from './support.ts';
import type { BrowserSuite, Opened } from './suite.ts';

export const SIZES = {
  phone: { width: 390, height: 844 },
  tablet: { width: 800, height: 1280 },
  desk: { width: 1440, height: 900 },
} as const;
export type Size = keyof typeof SIZES;
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** Every size in both languages, for `it.each`. */
export const EVERY_SCREEN: { size: Size; lang: Lang }[] = (Object.keys(SIZES) as Size[]).flatMap((size) =>
  LANGS.map((lang) => ({ size, lang })),
);

/** A fresh context at `size` in `lang` (the interface language stored before the app starts), logged in. */
export async function openAs(suite: BrowserSuite, policeNo: string, size: Size, lang: Lang): Promise<Opened> {
  // bypassCSP: the app's CSP (script-src 'self') would refuse the injected axe script
  const opened = await suite.open({ viewport: SIZES[size], bypassCSP: true, deviceScaleFactor: 1 });
  await opened.context.addInitScript((l: string) => localStorage.setItem('muster.locale', l), lang);
  await loginAs(opened.page, suite.server.url, policeNo);
  return opened;
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

/** axe on the whole document: its serious and critical violations, one readable line each (empty when clean). */
export async function axeBlocking(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return results.violations
    .filter((v) => v.impact && BLOCKING.has(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}`).join('\n')}`);
}

/**
 * Writes `<MUSTER_UX_SHOTS>/<name>.png` (the window, or the whole page) when that variable is set (for a person to
 * look at), else nothing.
 */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  const dir = process.env['MUSTER_UX_SHOTS'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: opts.fullPage ?? false });
}

/**
 * What makes the page scroll sideways (it must not, LAYOUT-3): the innermost elements reaching past the window's
 * right edge, as `tag.class[data-testid]` (empty when nothing does).
 */
export function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1 || r.width === 0) continue;
      if (Array.from(el.children).some((c) => c.getBoundingClientRect().right > width + 1)) continue;
      const id = el.getAttribute('data-testid');
      out.push(
        `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}${id ? `[${id}]` : ''}`,
      );
    }
    return out.length ? out : ['(the document)'];
  });
}
