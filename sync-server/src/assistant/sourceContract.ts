/**
 * ASSIST-5: the one contract every look-up source adapter passes (SQLite, HTTP JSON). Each adapter's test calls
 * `sourceContract` with a harness: the source, a subject it holds rows for (per key kind it declares) and cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectKind } from '@muster/core';
import { SourceError, checkSourceInfo } from './source.ts';
import type { Source } from './source.ts';

export interface SourceHarness {
  source: Source;
  /** A value per key kind the source declares that has at least two rows (one for unique keys such as an ID). */
  known: Partial<Record<SubjectKind, string>>;
  cleanup(): Promise<void>;
}

export function sourceContract(name: string, open: () => Promise<SourceHarness>): void {
  describe(`ASSIST-5 source contract: ${name}`, () => {
    let h: SourceHarness;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => {
      await h?.source.close?.();
      await h?.cleanup();
    });

    it('describes itself: id, zh/en names, intent, key kinds, fields with zh/en names, clearance', () => {
      expect(() => checkSourceInfo(h.source.info)).not.toThrow();
      expect([0, 1, 2]).toContain(h.source.info.clearance);
      expect(['normal', 'sensitive']).toContain(h.source.info.sensitivity);
      for (const k of h.source.info.keys) expect(h.known[k], `a known value for ${k}`).toBeTypeOf('string');
    });

    it('answers each declared key kind with rows of exactly its fields; total counts all; limit is kept', async () => {
      const fields = h.source.info.fields.map((f) => f.key).sort();
      for (const by of h.source.info.keys) {
        const all = await h.source.query({ by, value: h.known[by]!, limit: 50 });
        expect(all.rows.length, `rows by ${by}`).toBeGreaterThan(0);
        expect(all.total).toBeGreaterThanOrEqual(all.rows.length);
        for (const r of all.rows) {
          expect(typeof r.key).toBe('string');
          expect(Object.keys(r.values).sort()).toEqual(fields);
          for (const v of Object.values(r.values)) expect(['string', 'number', 'object']).toContain(typeof v);
        }
        const one = await h.source.query({ by, value: h.known[by]!, limit: 1 });
        expect(one.rows).toHaveLength(1);
        expect(one.total).toBe(all.total);
      }
    });

    it('gives one row by its key (reveal) with the same values, and null for a key it does not hold', async () => {
      const by = h.source.info.keys[0]!;
      const { rows } = await h.source.query({ by, value: h.known[by]!, limit: 3 });
      for (const r of rows) expect(await h.source.get(r.key)).toEqual(r);
      expect(await h.source.get('no-such-key-0000')).toBeNull();
    });

    it('finds nothing for a value it does not hold, however hostile, without failing', async () => {
      for (const value of ['no-such-value', "x' OR '1'='1", '%', '"; DROP TABLE persons; --', 'é'.repeat(5_000)]) {
        const r = await h.source.query({ by: h.source.info.keys[0]!, value, limit: 10 });
        expect(r).toEqual({ rows: [], total: 0 });
      }
    });

    it('refuses a key kind it does not declare with a SourceError', async () => {
      const other = (['id', 'plate', 'phone', 'name', 'address', 'person'] as const).find(
        (k) => !h.source.info.keys.includes(k),
      );
      if (!other) return;
      await expect(h.source.query({ by: other, value: 'x', limit: 1 })).rejects.toBeInstanceOf(SourceError);
    });
  });
}
