/**
 * Opening the SQLite file: WAL, synchronous=FULL, then the numbered migrations (migrations.ts, DATA-1) bring it to
 * this server's schema version. The relay's store then commits with synchronous=NORMAL and fsyncs the WAL itself,
 * off the event loop, before a write resolves (sqliteStore.ts, PERF-3).
 */
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export { SCHEMA_VERSION } from './migrations.ts';

export const SQLITE_FILE = 'muster.sqlite';

/** Opens (creating or upgrading) the database file with the durability settings every commit relies on. */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
