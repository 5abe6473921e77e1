/**
 * STATS-3/STATS-6/STATS-9 in Chromium: a generated history (seeded) is written into a fresh data dir, the relay
 * starts on it, and the statistics page's figures are checked against an independent computation from the raw
 * generated records (plain counting here, SQL in the server). Then the drill-down, the chart with its table, the
 * scope of a sub-bureau leader, and the last figures shown offline with their time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import type { StatsFacts } from '@muster/core';
import { readDirectoryFile, seedDirectory } from '../../sync-server/src/directory/demoDirectory.ts';
import { DirectoryService } from '../../sync-server/src/directory/directoryService.ts';
import { loadTemplates } from '../../sync-server/src/directory/templates.ts';
import { silentLogger } from '../../sync-server/src/log.ts';
import { generateHistory } from '../../sync-server/src/stats/history.ts';
import { openSqliteStatsStore } from '../../sync-server/src/stats/sqliteStatsStore.ts';
import { openSqliteStore } from '../../sync-server/src/store/sqliteStore.ts';
import { browserAvailable } from '../helpers/browser.ts';
import { browserSuite } from './suite.ts';

const END = 1_900_000_000_000;
const SEED = Number(process.env.STATS_SEED ?? 20_261_130);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-e2e-stats-'));
let facts: StatsFacts[] = [];
let dir: Directory;

/** The independent computation: plain counting over the generated records. */
function expected(rows: StatsFacts[], now: number) {
  const inv = rows.flatMap((g) => g.invitations).filter((i) => i.registeredAt !== null);
  const onTime = inv.filter((i) => i.verdict === 'on-time').length;
  const late = inv.filter((i) => i.verdict === 'late').length;
  const overdue = inv.filter((i) => i.verdict === 'unsigned' && i.deadline! < now).length;
  const closed = rows.filter((g) => g.closedAt !== null);
  const nearest = (values: number[], p: number): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
  };
  const mgmtSeconds = inv
    .filter((i) => i.postKind === 'management' && (i.verdict === 'on-time' || i.verdict === 'late'))
    .map((i) => Math.floor((i.signedAt! - i.registeredAt!) / 1000));
  return {
    started: rows.length,
    closed: closed.length,
    timelyRate: closed.filter((g) => g.timely).length / closed.length,
    participantTimes: rows.reduce((s, g) => s + g.participants.length, 0),
    distinct: new Set(rows.flatMap((g) => g.participants)).size,
    escalations: rows.reduce((s, g) => s + g.escalations, 0),
    escalatedGroups: rows.filter((g) => g.escalations > 0).length,
    onTimeRate: onTime / (onTime + late + overdue),
    mgmtMedian: nearest(mgmtSeconds, 0.5),
    mgmtP90: nearest(mgmtSeconds, 0.9),
  };
}

describe.skipIf(!browserAvailable())('statistics page', () => {
  beforeAll(async () => {
    const store = openSqliteStore(dataDir);
    const stats = openSqliteStatsStore(dataDir);
    await seedDirectory(store, readDirectoryFile(), silentLogger);
    dir = await new DirectoryService(store).reload();
    const history = generateHistory(dir, loadTemplates(dir), { groups: 1500, days: 20, end: END, seed: SEED });
    const rows = [...history.groups];
    facts = rows.map((r) => r.facts);
    await stats.putGroups(rows);
    await stats.addDuty(history.duty);
    await stats.close();
    await store.close();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const suite = browserSuite(() => ({ dataDir, manualClock: true }));
  beforeAll(async () => {
    await suite.server.moveClock({ set: END });
  });

  const value = async (page: import('playwright-core').Page, testId: string): Promise<number> =>
    Number(await page.getByTestId(testId).getAttribute('data-value'));

  it('STATS-3 STATS-9 STATS-11: the figures of the page equal an independent count of the raw records', async () => {
    const want = expected(facts, END);
    const { page, errors } = await suite.open({ policeNo: 'demo004' });
    await page.getByTestId('nav-stats').click();
    await page.getByTestId('fig-started').waitFor();
    const context = `STATS_SEED=${SEED}`;
    expect(await value(page, 'fig-started'), context).toBe(want.started);
    expect(await value(page, 'fig-closed'), context).toBe(want.closed);
    expect(await value(page, 'fig-timely-rate'), context).toBeCloseTo(want.timelyRate, 12);
    expect(await value(page, 'fig-participant-times'), context).toBe(want.participantTimes);
    expect(await value(page, 'fig-distinct'), context).toBe(want.distinct);
    expect(await value(page, 'fig-escalations'), context).toBe(want.escalations);
    expect(await value(page, 'fig-on-time-rate'), context).toBeCloseTo(want.onTimeRate, 12);
    // STATS-11: median and p90 from sign-time buckets: within 1/64 of the exact nearest rank, and the page says so.
    const median = await value(page, 'kind-management-median');
    const p90 = await value(page, 'kind-management-p90');
    expect(Math.abs(median - want.mgmtMedian), `${context} median ${median} vs ${want.mgmtMedian}`).toBeLessThanOrEqual(
      want.mgmtMedian / 64,
    );
    expect(Math.abs(p90 - want.mgmtP90), `${context} p90 ${p90} vs ${want.mgmtP90}`).toBeLessThanOrEqual(
      want.mgmtP90 / 64,
    );
    await expect.poll(() => page.getByTestId('stats-sign-time-note').textContent()).toContain('1.6%');

    // Drill-down from the escalations figure lists the groups behind it.
    await page.getByTestId('fig-escalations').getByRole('button').click();
    const drill = page.getByTestId('stats-drill');
    await drill.waitFor();
    expect(Number(await drill.getAttribute('data-total')), context).toBe(want.escalatedGroups);

    // The chart draws (uPlot loaded with the page) and its table holds one row per day with groups.
    await page.getByTestId('chart-volume-plot').and(page.locator('[data-ready="true"]')).waitFor();
    const days = new Set(facts.map((g) => Math.floor((g.startedAt! + 8 * 3_600_000) / 86_400_000))).size;
    expect(await page.getByTestId('chart-volume-table').locator('tbody tr').count()).toBe(days);
    expect(errors).toEqual([]);
  });

  it('STATS-6: a sub-bureau leader sees the units of the sub-bureau only', async () => {
    const west = new Set(['sb-w', ...dir.descendantsOf('sb-w').map((u) => u.id)]);
    const want = expected(
      facts.filter((g) => west.has(g.unitId)),
      END,
    );
    const { page } = await suite.open({ policeNo: 'demo023' });
    await page.goto(`${suite.server.url}/#/stats`);
    await page.getByTestId('fig-started').waitFor();
    expect(await value(page, 'fig-started')).toBe(want.started);
    expect(await value(page, 'fig-participant-times')).toBe(want.participantTimes);
    // The unit filter offers the units of the sub-bureau only.
    const offered = await page
      .getByTestId('stats-unit')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(offered.length).toBeGreaterThan(1);
    expect(offered.filter((u) => !west.has(u))).toEqual([]);
    expect(offered).toContain('sb-w');
  });

  it('STATS-9: offline, the last figures fetched stay readable with their time', async () => {
    const { page, context } = await suite.open({ policeNo: 'demo001' });
    await page.goto(`${suite.server.url}/#/stats`);
    await page.getByTestId('fig-started').waitFor();
    const started = await value(page, 'fig-started');
    await context.setOffline(true);
    await page.getByTestId('stats-refresh').click();
    await page.getByTestId('stats-error').and(page.locator('[data-kind="offline"]')).waitFor();
    const fetched = page.getByTestId('stats-fetched');
    expect(await fetched.getAttribute('data-stale')).toBe('true');
    expect(Number(await fetched.getAttribute('data-at'))).toBe(END);
    expect(await value(page, 'fig-started')).toBe(started);
    await context.setOffline(false);
  });
});
