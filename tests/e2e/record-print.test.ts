/**
 * REC-2: the record page is ready for a case file: the unit header, who printed it and when, people with their
 * police numbers, the photos themselves, a signature block, and A4 print with margins and page numbers (@page).
 * Phone, tablet and desk, zh-CN and English, axe clean; the desk also prints it to a PDF.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { makePng } from '../helpers/png.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup, seedPhotoFinding, seedSignOff } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const G = 'ux-record-print';
let hashes: string[] = [];

describe.skipIf(!browserAvailable())('browser: the record page for a case file (REC-2)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, {
      id: G,
      title: '商店手机被抢 (演示)',
      findings: 12,
      invite: ['p-e-cid', 'p-e-mgmt'],
    });
    await seedSignOff(suite.server, G, 'p-e-cid', 'demo010');
    hashes = await seedPhotoFinding(suite.server, G, [
      { bytes: makePng(320, 240, { gray: 0x50 }), width: 320, height: 240 },
    ]);
  });

  it.each(EVERY_SCREEN)(
    'REC-2 A11Y-1: unit header, printed by/at, police numbers, photos, signatures, A4 @page ($size, $lang)',
    async ({ size, lang }) => {
      // the sub-bureau desk (directory scope: every unit's persons) opens the station's group record
      const { page, errors } = await openAs(suite, 'demo005', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}/record`);
      const rec = byTestId(page, 'record-page', { 'data-group-id': G });
      await rec.waitFor();
      const en = lang === 'en';
      expect(await page.getByTestId('record-unit').innerText()).toBe(
        en
          ? 'Demo City Police Bureau (fictional) Dongcheng Sub-bureau Donghu Police Station'
          : '演示市公安局 东城分局 东湖派出所',
      );
      const printed = await page.getByTestId('record-printed').innerText();
      expect(printed).toContain(en ? 'Printed by 周演示05 (police no. demo005)' : '打印人：周演示05（警号 demo005）');
      expect(printed).toMatch(/\d{2}:\d{2}:\d{2}/);
      await expect
        .poll(() => page.getByTestId('record-entry-by').first().innerText())
        .toBe(en ? '韩演示15 (police no. demo015)' : '韩演示15（警号 demo015）');
      expect(await page.getByTestId('record-invitations').innerText()).toContain(
        en ? '陈演示10 (police no. demo010)' : '陈演示10（警号 demo010）',
      );
      // the photo itself, not a mention of it
      const photo = byTestId(rec, 'timeline-photo', { 'data-hash': hashes[0]! });
      await photo.waitFor();
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
      expect(await page.getByTestId('record-signatures').innerText()).toContain(en ? 'Reviewed by' : '审核人签名');
      // A4 with margins and a page counter at the foot
      const pageRule = await page.evaluate(() => {
        for (const sheet of Array.from(document.styleSheets))
          for (const r of Array.from(sheet.cssRules)) if (r instanceof CSSPageRule) return r.cssText;
        return '';
      });
      expect(pageRule).toMatch(/size:\s*a4/i);
      expect(pageRule).toMatch(/margin:\s*20mm 18mm 22mm/);
      expect(pageRule).toContain('counter(page)');
      expect(await sidewaysOverflow(page)).toEqual([]);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `record-${size}-${lang}`);

      if (size === 'desk') {
        await page.emulateMedia({ media: 'print' });
        // the app's notices (offline ready, offline) are not printed
        for (const b of await page.locator('.banner').all()) expect(await b.isVisible()).toBe(false);
        // the header is printed once, at the top of the first page: in the flow (a fixed or running element would
        // repeat on every page), the first thing of the printed document
        const header = rec.locator('header').first();
        expect(await header.evaluate((h) => getComputedStyle(h).position)).toBe('static');
        expect(await page.getByTestId('record-unit').count()).toBe(1);
        expect(await header.evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(50);
        await shot(page, `record-print-media-${lang}`, { fullPage: true });
        const pdf = await page.pdf({ preferCSSPageSize: true });
        const text = pdf.toString('latin1');
        const pages = text.match(/\/Type\s*\/Page\b/g)?.length ?? 0;
        expect(pages).toBeGreaterThanOrEqual(1);
        // A4 is 595.28 × 841.89 pt
        const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
        expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
        const dir = process.env['MUSTER_UX_SHOTS'];
        if (dir) fs.writeFileSync(path.join(dir, `record-${lang}.pdf`), pdf);
        await page.emulateMedia({ media: 'screen' });
      }
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
