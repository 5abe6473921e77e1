import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { SQLITE_FILE, openSqliteStore } from './sqliteStore.ts';
import { storeContract } from './storeContract.ts';

storeContract('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
  return {
    open: () => openSqliteStore(dir),
    persistent: true,
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SQLite store specifics', () => {
  it('uses WAL and keeps the audit table append-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
    try {
      const store = openSqliteStore(dir);
      await store.appendAudit({ at: 1, actor: null, action: 'start' });
      const db = new Database(path.join(dir, SQLITE_FILE));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(() => db.prepare("UPDATE audit SET action = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
      db.close();
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PERF-3: a write resolves only once the WAL is fsynced, off the event loop; commits meanwhile share the next fsync', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
    const realFsync = fs.fsync;
    const held: (() => void)[] = [];
    fs.fsync = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
      held.push(() => realFsync(fd, cb))) as unknown as typeof fs.fsync;
    try {
      const store = openSqliteStore(dir);
      let firstDone = false;
      const first = store.appendAudit({ at: 1, actor: null, action: 'one' }).then(() => (firstDone = true));
      await vi.waitFor(() => expect(held).toHaveLength(1));
      expect(firstDone).toBe(false);
      // Committed (a turn later) while the first fsync is under way: they wait for the next one.
      const second = store.appendAudit({ at: 2, actor: null, action: 'two' });
      const third = store.appendAudit({ at: 3, actor: null, action: 'three' });
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      expect(held).toHaveLength(1);
      held.shift()!();
      await first;
      await vi.waitFor(() => expect(held).toHaveLength(1));
      held.shift()!();
      expect(await Promise.all([second, third])).toEqual([2, 3]);
      fs.fsync = realFsync;
      await store.close();
    } finally {
      fs.fsync = realFsync;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('AUTH-1, DATA-1: a version-1 data folder from before the login_throttle table opens and gains it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
    try {
      const first = openSqliteStore(dir);
      await first.setDeadline('group:old', 7);
      await first.close();
      // Make the file look like one written before AUTH-1 persisted the throttle.
      const db = new Database(path.join(dir, SQLITE_FILE));
      db.exec('DROP TABLE login_throttle');
      db.pragma('user_version = 1');
      db.close();
      const store = openSqliteStore(dir);
      expect(await store.listDeadlines()).toEqual([{ docName: 'group:old', at: 7 }]);
      expect(await store.listThrottle()).toEqual([]);
      await store.setThrottle('a:demo001', { failures: [1], lockedUntil: 2, locks: 1 });
      expect(await store.listThrottle()).toEqual([{ key: 'a:demo001', failures: [1], lockedUntil: 2, locks: 1 }]);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
