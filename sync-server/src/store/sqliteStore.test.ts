import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_FILE, openSqliteStore } from './sqliteStore.ts';
import { storeContract } from './storeContract.ts';

for (const thread of ['worker', 'caller'] as const) {
  storeContract(`sqlite (${thread} thread)`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
    return {
      open: () => openSqliteStore(dir, { thread }),
      persistent: true,
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  });
}

describe('SQLite store specifics', () => {
  it('uses WAL with synchronous=FULL and keeps the audit table append-only', async () => {
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
});

describe('SQLite writer thread', () => {
  it('commits operations sent together as one group, failing only the one that fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-store-'));
    try {
      const store = openSqliteStore(dir);
      const person = (id: string, policeNo: string) => ({
        id,
        policeNo,
        name: id,
        unitId: 'u',
        roles: [],
        postIds: [],
        passwordHash: 'x',
      });
      const empty = { units: [], posts: [], onDuty: [] };
      // Sent in one turn: they reach the thread together and share one transaction.
      const results = await Promise.allSettled([
        store.appendUpdates([{ docName: 'a', updates: [new Uint8Array([1])] }]),
        store.seedDirectory(empty, [person('p', 'x'), person('q', 'x')]),
        store.appendAudit({ at: 1, actor: null, action: 'start' }),
        store.appendUpdates([{ docName: 'a', updates: [new Uint8Array([2])] }]),
        store.countPersons(),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((results[3] as PromiseFulfilledResult<{ lastSeq: number }[]>).value[0]!.lastSeq).toBe(2);
      expect((results[4] as PromiseFulfilledResult<number>).value).toBe(0);
      await store.close();
      await expect(store.listAudit()).rejects.toThrow(/closed/);
      const again = openSqliteStore(dir, { thread: 'caller' });
      expect((await again.loadDoc('a')).updates.map((u) => [...u])).toEqual([[1], [2]]);
      expect(await again.listAudit()).toHaveLength(1);
      expect(await again.countPersons()).toBe(0);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
