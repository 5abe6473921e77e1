import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidResidentId } from '@muster/core';
import type { SubjectKind } from '@muster/core';
import { DEMO_LOOKUP_FILE, STORY2, demoLookupReady, generateDemoLookupData } from './demoLookupData.ts';
import { DEMO_SOURCE_CONFIGS } from './demoSources.ts';
import { SqliteSource } from './sqliteSource.ts';
import { sourceContract } from './sourceContract.ts';

const SCALE = 0.002;
let shared: Promise<{ dir: string; file: string }> | null = null;
const data = (): Promise<{ dir: string; file: string }> =>
  (shared ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lookup-'));
    return { dir, file: await generateDemoLookupData(dir, SCALE) };
  })());

/** A value with at least two rows (or one, for unique keys) per key kind, found in the data itself. */
function knownValues(db: Database.Database, id: string): Partial<Record<SubjectKind, string>> {
  const one = (sql: string): string => (db.prepare(sql).get() as { v: string }).v;
  const busiest = (table: string, col: string): string =>
    one(`SELECT ${col} AS v FROM ${table} GROUP BY ${col} ORDER BY count(*) DESC, ${col} LIMIT 1`);
  switch (id) {
    case 'persons':
      return {
        id: one('SELECT id_no AS v FROM persons LIMIT 1'),
        name: busiest('persons', 'name'),
        person: 'P9000002',
      };
    case 'phones':
      return { phone: STORY2.driver.phone, person: busiest('phones', 'person_key') };
    case 'vehicles':
      return { plate: STORY2.driver.plate, person: busiest('vehicles', 'person_key') };
    case 'ride-hailing':
      return { person: busiest('rides', 'passenger_key'), plate: busiest('rides', 'plate') };
    case 'calls-110':
      return {
        person: busiest('calls110', 'person_key'),
        phone: busiest('calls110', 'phone'),
        address: busiest('calls110', 'address'),
      };
    case 'household':
      return { person: 'P0000000', id: one("SELECT id_no AS v FROM persons WHERE key = 'P0000000'") };
    case 'cameras':
      return { address: '建设路12号', point: one("SELECT printf('%.5f,%.5f', lat, lon) AS v FROM cameras LIMIT 1") };
    case 'prior-cases':
      return { person: busiest('prior_cases', 'person_key') };
    case 'wanted':
      return { person: busiest('wanted', 'person_key') };
    case 'lodging':
      return { person: busiest('lodging', 'person_key') };
    default:
      throw new Error(`no sample values for ${id}`);
  }
}

afterAll(async () => {
  if (shared) fs.rmSync((await shared).dir, { recursive: true, force: true });
});

for (const config of DEMO_SOURCE_CONFIGS) {
  sourceContract(`SQLite demo source ${config.info.id}`, async () => {
    const { file } = await data();
    const db = new Database(file, { readonly: true });
    return {
      source: new SqliteSource(db, config),
      known: knownValues(db, config.info.id),
      cleanup: async () => {
        db.close();
      },
    };
  });
}

describe('the demo look-up data', () => {
  it('ASSIST-9: is fictional: every ID has a valid check digit and a region code 99xxxx, every mobile starts 100/101', async () => {
    const { file } = await data();
    const db = new Database(file, { readonly: true });
    try {
      const ids = db.prepare('SELECT id_no FROM persons').pluck().all() as string[];
      expect(ids.length).toBeGreaterThan(100);
      expect(ids.every((id) => id.startsWith('99') && isValidResidentId(id))).toBe(true);
      const phones = db.prepare('SELECT number FROM phones').pluck().all() as string[];
      expect(phones.every((p) => /^10[01]\d{8}$/.test(p))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('ASSIST-9: is deterministic, and a complete file is reused; a different scale is generated anew', async () => {
    const { dir, file } = await data();
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lookup-'));
    try {
      await generateDemoLookupData(again, SCALE);
      const rows = (f: string) => {
        const db = new Database(f, { readonly: true });
        const out = db.prepare('SELECT * FROM persons ORDER BY key LIMIT 50').all();
        db.close();
        return out;
      };
      expect(rows(path.join(again, DEMO_LOOKUP_FILE))).toEqual(rows(file));
      expect(demoLookupReady(file, SCALE)).toBe(true);
      expect(demoLookupReady(file, 0.5)).toBe(false);
      const before = fs.statSync(file).mtimeMs;
      await generateDemoLookupData(dir, SCALE);
      expect(fs.statSync(file).mtimeMs).toBe(before);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('ASSIST-9: a stopped generation leaves no file behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lookup-'));
    try {
      const stop = new AbortController();
      stop.abort();
      await expect(generateDemoLookupData(dir, SCALE, { signal: stop.signal })).rejects.toThrow(/stopped/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
