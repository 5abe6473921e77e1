/**
 * REVIEW-1/REVIEW-2 in Chromium: closed groups of a generated history (real documents, one in five with a late and
 * escalated post) open at #/groups/<id>/review from the statistics drill-down; the page shows the milestones on one
 * axis and who was late by how much, equal to the documents' own facts; a leader of the group writes a lesson
 * (REVIEW-3) shown with its author and server time in both languages. With MUSTER_SCREENSHOTS=1 it also writes
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsFacts } from '@muster/core';
import type { Page } from 'playwright-core';
import { groupDocName } from '@muster/protocol';
import { readDirectoryFile, seedDirectory } from '../../sync-server/src/directory/demoDirectory.ts';
import { DirectoryService } from '../../sync-server/src/directory/directoryService.ts';
import { loadTemplates } from '../../sync-server/src/directory/templates.ts';
import { silentLogger } from '../../sync-server/src/log.ts';
import { generateHistory } from '../../sync-server/src/stats/history.ts';
import { writeHistoryDocs } from '../../sync-server/src/stats/historyDocs.ts';
import { loadStoredDoc, projectDoc } from '../../sync-server/src/stats/projector.ts';
import { openSqliteStatsStore } from '../../sync-server/src/stats/sqliteStatsStore.ts';
import { openSqliteStore } from '../../sync-server/src/store/sqliteStore.ts';
import { browserAvailable } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/startServer.ts';
import { browserSuite } from './suite.ts';

const END = 1_900_000_000_000;
const SHOTS = process.env['MUSTER_SCREENSHOTS'] === '1';
const OUT = path.join(REPO_ROOT, 'docs/screenshots');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-e2e-review-'));
/** Late milliseconds per post of the first (late) document, from its own facts. */
let lateGroup = '';
let lateByPost = new Map<string, number>();

describe.skipIf(!browserAvailable())('post-incident review', () => {
  beforeAll(async () => {
    const store = openSqliteStore(dataDir);
    const stats = openSqliteStatsStore(dataDir);
    await seedDirectory(store, readDirectoryFile(), silentLogger);
    const dir = await new DirectoryService(store).reload();
    const templates = loadTemplates(dir);
    const history = generateHistory(dir, templates, { groups: 6000, days: 60, end: END, seed: 11 });
    await stats.putGroups([...history.groups]);
    await stats.addDuty(history.duty);
    const ids = await writeHistoryDocs(store, dir, templates, {
      count: 10,
      end: END,
      seed: 11,
      initiatorId: 'demo015',
    });
    for (const id of ids) {
      const doc = await loadStoredDoc(store, groupDocName(id));
      await stats.putGroups([projectDoc(doc, dir, END)!]);
      const f = statsFacts(doc)!;
      if (!lateGroup && f.invitations.some((i) => i.verdict === 'late')) {
        lateGroup = id;
        lateByPost = new Map(
          f.invitations.filter((i) => i.verdict === 'late').map((i) => [i.postId, i.signedAt! - i.deadline!]),
        );
      }
      doc.destroy();
    }
    await stats.close();
    await store.close();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const suite = browserSuite(() => ({ dataDir, manualClock: true }));
  beforeAll(async () => {
    await suite.server.moveClock({ set: END });
    if (SHOTS) fs.mkdirSync(OUT, { recursive: true });
  });

  async function open(policeNo: string, viewport: { width: number; height: number }, locale = 'zh-CN') {
    return suite.open({ viewport, deviceScaleFactor: 1, policeNo, locale });
  }
  async function english(page: Page): Promise<void> {
    await page.goto(`${suite.server.url}/#/settings`);
    await page.getByTestId('lang-switch').first().click();
  }

  it('REVIEW-1 REVIEW-2: from the drill-down to a review that shows who was late by how much', async () => {
    expect(lateGroup).not.toBe('');
    const { page, errors } = await open('demo007', { width: 1440, height: 900 });
    await page.goto(`${suite.server.url}/#/stats`);
    await page.getByTestId('fig-escalations').getByRole('button').click();
    await page.getByTestId('stats-drill').waitFor();
    if (SHOTS) {
      await page.getByTestId('chart-rates-plot').and(page.locator('[data-ready="true"]')).waitFor();
      await page.screenshot({ path: path.join(OUT, 'stats-desk.png'), fullPage: false });
    }
    const row = page.getByTestId('stats-drill-row').and(page.locator(`[data-group="${lateGroup}"]`));
    await row.getByRole('link', { name: /复盘|Review/ }).click();
    await page.getByTestId('review-page').waitFor();
    const kinds = await page.getByTestId('review-milestone').evaluateAll((rows) => rows.map((r) => r.dataset['kind']));
    expect(kinds[0]).toBe('started');
    expect(kinds.at(-1)).toBe('closed');
    expect(kinds).toContain('escalated');
    for (const [post, ms] of lateByPost) {
      const cell = page.getByTestId('review-signoff').and(page.locator(`[data-post="${post}"]`));
      expect(Number(await cell.getAttribute('data-late-ms'))).toBe(ms);
    }
    expect(errors).toEqual([]);
  });

  it('REVIEW-3 POL-18: a leader of the group writes a lesson; it shows with its author and server time in both languages', async () => {
    const { page, errors } = await open('demo007', { width: 1440, height: 900 });
    await page.goto(`${suite.server.url}/#/groups/${lateGroup}/review`);
    const section = page.getByTestId('review-lessons');
    await section.getByRole('heading', { name: '经验教训' }).waitFor();
    await page.getByTestId('review-lesson-text').fill('技术支撑岗签收超时，需提前提醒（虚构）');
    await page.getByTestId('review-lesson-submit').click();
    const lesson = page.getByTestId('review-lesson').and(page.locator('[data-author="demo007"]'));
    await lesson.and(page.locator(`[data-server-time="${END}"]`)).waitFor();
    expect(await lesson.textContent()).toContain('服务器时间');
    await english(page);
    await page.goto(`${suite.server.url}/#/groups/${lateGroup}/review`);
    await section.getByRole('heading', { name: 'Lessons learned' }).waitFor();
    expect(await lesson.textContent()).toContain('server time');
    expect(errors).toEqual([]);

    // An auditor reads the lessons and is not offered the form.
    const auditor = (await open('demo004', { width: 1440, height: 900 })).page;
    await auditor.goto(`${suite.server.url}/#/groups/${lateGroup}/review`);
    await auditor.getByTestId('review-lesson').and(auditor.locator('[data-author="demo007"]')).waitFor();
    expect(await auditor.getByTestId('review-lesson-form').count()).toBe(0);
  });

  it.skipIf(!SHOTS)('screenshots: the statistics page in English at the desk and in Chinese on a tablet', async () => {
    const desk = (await open('demo001', { width: 1440, height: 900 })).page;
    await english(desk);
    await desk.goto(`${suite.server.url}/#/stats`);
    await desk.getByTestId('chart-volume-plot').and(desk.locator('[data-ready="true"]')).waitFor();
    await desk.screenshot({ path: path.join(OUT, 'stats-desk-en.png') });
    const tablet = (await open('demo001', { width: 800, height: 1280 })).page;
    await tablet.goto(`${suite.server.url}/#/stats`);
    await tablet.getByTestId('chart-volume-plot').and(tablet.locator('[data-ready="true"]')).waitFor();
    await tablet.screenshot({ path: path.join(OUT, 'stats-tablet.png') });
    await tablet.goto(`${suite.server.url}/#/groups/${lateGroup}/review`);
    await tablet.getByTestId('review-page').waitFor();
    await english(tablet);
    await tablet.goto(`${suite.server.url}/#/groups/${lateGroup}/review`);
    await tablet.getByTestId('review-page').waitFor();
    await tablet.screenshot({ path: path.join(OUT, 'review-tablet-en.png'), fullPage: true });
  });
});
