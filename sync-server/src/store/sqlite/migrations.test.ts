import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, migrate } from './migrations.ts';
import { openDatabase } from './schema.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'muster.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const columns = (db: Database.Database, table: string): string[] =>
  db
    .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name);

describe('numbered schema migrations (DATA-1)', () => {
  it('DATA-1: numbers the migrations 1, 2, 3… with no gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('DATA-1: a fresh file gets every migration and the latest user_version', () => {
    const file = tempFile();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(columns(db, 'audit')).toEqual(expect.arrayContaining(['prev_hash', 'hash']));
    db.close();
  });

  it('DATA-1: a version-1 file written before the columns were added is brought up whole, its rows kept', () => {
    const file = tempFile();
    // The first schema as it was: no search columns, no hash chain, no login throttle.
    const old = new Database(file);
    old.exec(`
      CREATE TABLE units (ord INTEGER NOT NULL, id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL,
        parent_id TEXT, kind TEXT NOT NULL);
      CREATE TABLE posts (ord INTEGER NOT NULL, id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, name TEXT NOT NULL,
        name_en TEXT NOT NULL, kind TEXT NOT NULL);
      CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT,
        action TEXT NOT NULL, doc_name TEXT, detail TEXT);
      INSERT INTO units VALUES (0, 'u1', '东湖派出所', 'Donghu station', NULL, 'station');
      INSERT INTO audit (at, actor, action) VALUES (5, 'p1', 'login');
    `);
    old.pragma('user_version = 1');
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(columns(db, 'units')).toContain('initials');
    expect(columns(db, 'posts')).toEqual(expect.arrayContaining(['capabilities', 'initials', 'phone']));
    expect(columns(db, 'audit')).toEqual(expect.arrayContaining(['prev_hash', 'hash']));
    expect(columns(db, 'login_throttle')).toContain('locked_until');
    expect(db.prepare('SELECT name FROM units').all()).toEqual([{ name: '东湖派出所' }]);
    expect(db.prepare('SELECT action FROM audit').all()).toEqual([{ action: 'login' }]);
    db.close();
  });

  it('DATA-1: a file newer than this server is refused and left as it was', () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });

  it('DATA-1: a migration that fails leaves the file at the last whole version', () => {
    const file = tempFile();
    const db = new Database(file);
    const steps = [
      { version: 1, name: 'one', up: (d: Database.Database) => d.exec('CREATE TABLE a (x INTEGER)') },
      {
        version: 2,
        name: 'two fails half-way',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE b (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, file, steps)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    expect(tables.map((t) => t.name)).toEqual(['a']);
    db.close();
  });
});
