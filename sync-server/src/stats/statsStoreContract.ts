/**
 * The one contract every StatsStore passes (SQLite: sqliteStatsStore.test.ts, PostgreSQL: pgStatsStore.test.ts): on
 * a seeded generated history, the figures, trends and rankings of many queries (whole days, partial days at the
 * edges, whole four-week blocks, another time zone, filters) equal an independent computation from the facts (statsReference.ts); groups
 * written again replace their rows and rollups; a rebuild of the rollups changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { readDirectoryFile } from '../directory/demoDirectory.ts';
import { loadTemplates } from '../directory/templates.ts';
import { generateHistory } from './history.ts';
import { BLOCK_SPAN, dayStart, dayOf, spanStart } from './rollup.ts';
import { referenceFigures, referenceRanking, referenceTrend } from './statsReference.ts';
import type { DutyInterval, ProjectedGroup, StatsQuery, StatsStore } from './statsStore.ts';

export interface StatsStoreHarness {
  open(): StatsStore;
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const END = dayStart(dayOf(1_900_000_000_000));

/** A history with a few attested, unregistered and unsigned-overdue invitations mixed in. */
function history(seed: number): { rows: ProjectedGroup[]; duty: DutyInterval[] } {
  const dir = new Directory(readDirectoryFile());
  const h = generateHistory(dir, loadTemplates(dir), { groups: 1200, days: 70, end: END, seed });
  const rows = [...h.groups].map((g, n) => {
    const invitations = g.facts.invitations.map((i, k) => {
      if (k === 0 && n % 23 === 0) return { ...i, basis: 'attested' as const };
      if (k === 0 && n % 31 === 0) return { ...i, verdict: 'pending' as const, registeredAt: null, signedAt: null };
      if (k === 0 && n % 37 === 0) return { ...i, verdict: 'unsigned' as const, signedAt: null, signedBy: null };
      return i;
    });
    return { ...g, facts: { ...g.facts, invitations } };
  });
  // STATS-5: overlapping shifts (a second officer from two hours in until three hours past the end), one contained
  // in another, and an officer still on duty (no end).
  const extra = h.duty.filter((_d, n) => n % 40 === 0);
  const duty = [
    ...h.duty,
    ...extra.map((d) => ({ ...d, personId: 'h-extra', startAt: d.startAt + 2 * HOUR, endAt: d.endAt! + 3 * HOUR })),
    ...extra.map((d) => ({ ...d, personId: 'h-inner', startAt: d.startAt + HOUR, endAt: d.startAt + 2 * HOUR })),
    { ...h.duty[0]!, personId: 'h-open', startAt: END - 5 * DAY, endAt: null },
  ];
  return { rows, duty };
}

export function statsStoreContract(name: string, harness: () => StatsStoreHarness): void {
  describe(`StatsStore contract: ${name}`, () => {
    const h = harness();
    let store: StatsStore;
    const { rows, duty } = history(11);
    const east = ['sb-e', 'st-e1', 'st-e2', 'st-e3', 'kiosk-e1'];
    const base = { now: END - 2 * HOUR, unitIds: null };
    const queries: [string, StatsQuery][] = [
      ['whole days', { ...base, from: END - 10 * DAY, to: END }],
      ['partial days at both edges', { ...base, from: END - 9 * DAY - 5 * HOUR, to: END - DAY + 7 * HOUR + 1234 }],
      ['within one day', { ...base, from: END - 3 * DAY + HOUR, to: END - 3 * DAY + 9 * HOUR }],
      ['units of a sub-bureau', { ...base, from: END - 12 * DAY, to: END, unitIds: east }],
      ['incident type', { ...base, from: END - 7 * DAY - 3 * HOUR, to: END, incidentType: 'traffic' }],
      ['post kind', { ...base, from: END - 12 * DAY, to: END, postKind: 'management' }],
      ['no unit', { ...base, from: END - 12 * DAY, to: END, unitIds: [] }],
      // Whole four-week blocks with days and partial days around them (STATS-10).
      ['blocks, days and edges', { ...base, from: END - 69 * DAY - 5 * HOUR, to: END - DAY + 3 * HOUR }],
      [
        'blocks of a sub-bureau, post kind',
        { ...base, from: END - 70 * DAY, to: END, unitIds: east, postKind: 'support' },
      ],
      ['blocks, incident type', { ...base, from: END - 64 * DAY, to: END - 5 * DAY, incidentType: 'theft' }],
    ];

    beforeAll(async () => {
      store = h.open();
      // Half row by row (rollups kept incrementally), half in bulk with a rollup rebuild.
      const half = rows.length / 2;
      for (let k = 0; k < half; k += 50) await store.putGroups(rows.slice(k, Math.min(half, k + 50)));
      await store.putGroups(rows.slice(half), { bulk: true });
      await store.rebuildRollups();
      await store.addDuty(duty);
    }, 300_000);
    afterAll(async () => {
      await store?.close();
      await h.cleanup();
    });

    it.each(queries)('STATS-3 STATS-5 STATS-10: figures, %s, equal the facts', async (_n, q) => {
      expect(await store.figures(q)).toEqual(referenceFigures(rows, duty, q));
    });

    it.each(queries)('STATS-4 STATS-10: trends and rankings, %s, equal the facts', async (_n, q) => {
      for (const [bucket, tz] of [
        ['day', 480],
        ['week', 480],
        ['day', 0],
        ['week', -300],
      ] as const) {
        expect(await store.trend(q, bucket, tz), `${bucket} ${tz}`).toEqual(referenceTrend(rows, q, bucket, tz));
      }
      expect(await store.ranking(q, 'unit')).toEqual(referenceRanking(rows, q, 'unit'));
      expect(await store.ranking(q, 'subBureau')).toEqual(referenceRanking(rows, q, 'subBureau'));
    });

    it('STATS-2 STATS-10: a group written again replaces its rows and rollups; a rollup rebuild changes nothing', async () => {
      const changed = rows.slice(0, 40).map((g, n) => ({
        ...g,
        subBureauId: n % 2 ? g.subBureauId : 'sb-w',
        facts: {
          ...g.facts,
          startedAt: g.facts.startedAt! - (n % 3) * DAY,
          incidentType: n % 4 ? g.facts.incidentType : 'fraud',
          closedAt: null,
          timely: null,
          participants: [...g.facts.participants, `h-extra-${n % 5}`].sort(),
          invitations: g.facts.invitations.map((i) =>
            i.signedAt === null ? i : { ...i, signedAt: i.signedAt + 61_000, verdict: 'late' as const },
          ),
        },
      }));
      await store.putGroups(changed);
      const now = [...changed, ...rows.slice(40)];
      const q = queries[1]![1];
      expect(await store.figures(q)).toEqual(referenceFigures(now, duty, q));
      expect(await store.ranking(q, 'subBureau')).toEqual(referenceRanking(now, q, 'subBureau'));
      const kept = await store.dump();
      await store.rebuildRollups();
      expect((await store.dump()).rollups).toEqual(kept.rollups);
      // Four-week blocks hold whole blocks (fewer rows than their days), each starting on a block's first day.
      const spans = kept.rollups as { span: number; day: number }[];
      const blocks = spans.filter((r) => Number(r.span) === BLOCK_SPAN);
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks.length).toBeLessThan(spans.length - blocks.length);
      expect(blocks.filter((r) => spanStart(Number(r.day), BLOCK_SPAN) !== Number(r.day))).toEqual([]);
      // Written back as they were: the figures are those of the history again.
      await store.putGroups(rows.slice(0, 40));
      expect(await store.figures(q)).toEqual(referenceFigures(rows, duty, q));
    });

    it('STATS-4: drill-down lists the groups behind a figure, newest first', async () => {
      const q = queries[0]![1];
      const want = rows
        .filter((g) => g.facts.startedAt! >= q.from && g.facts.startedAt! < q.to)
        .filter((g) => g.facts.invitations.some((i) => i.verdict === 'late'));
      const got = await store.groups(q, 'late', { limit: 5, offset: 0 });
      expect(got.total).toBe(want.length);
      expect(got.rows.map((r) => r.startedAt)).toEqual(
        want
          .map((g) => g.facts.startedAt!)
          .sort((a, b) => b - a)
          .slice(0, 5),
      );
    });

    it('STATS-5: duty changes open and close intervals; cursors are kept', async () => {
      await store.applyDuty([
        { postId: 'p-x', personId: 'a', on: true, at: 10 },
        { postId: 'p-x', personId: 'a', on: true, at: 20 },
        { postId: 'p-x', personId: 'a', on: false, at: 30 },
      ]);
      const d = (await store.dump()).duty as Record<string, unknown>[];
      expect(d.filter((x) => x['post_id'] === 'p-x').map((x) => [x['start_at'], x['end_at']])).toEqual([[10, 30]]);
      expect(await store.getCursor('c')).toBe(0);
      await store.setCursor('c', 42);
      expect(await store.getCursor('c')).toBe(42);
    });

    it('STATS-12: gives the projected versions of the groups asked for that came from a document, no others', async () => {
      const asDoc = (g: ProjectedGroup, id: string, at: number): ProjectedGroup => ({
        ...g,
        facts: { ...g.facts, groupId: id },
        sourceUpdatedAt: at,
        origin: 'doc',
      });
      await store.putGroups([asDoc(rows[0]!, 'doc-a', 5), asDoc(rows[1]!, 'doc-b', 7), asDoc(rows[2]!, 'doc-c', 9)]);
      const got = await store.projectedVersions(['doc-a', 'doc-c', 'doc-missing', rows[3]!.facts.groupId]);
      expect([...got].sort()).toEqual([
        ['doc-a', 5],
        ['doc-c', 9],
      ]);
      expect((await store.projectedVersions([])).size).toBe(0);
      await store.clearDocGroups();
      expect((await store.projectedVersions(['doc-a'])).size).toBe(0);
    });
  });
}
