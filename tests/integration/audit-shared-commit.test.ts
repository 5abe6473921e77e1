import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../sync-server/src/audit/chain.ts';
import type { StoredChainRow } from '../../sync-server/src/audit/chain.ts';
import { SQLITE_FILE, SqliteStore } from '../../sync-server/src/store/sqliteStore.ts';

describe('shared commits of one event-loop turn', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('AUDIT-1: audit and registry writes of one turn share one commit, chain in call order and resolve only once durable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-shared-'));
    dirs.push(dir);
    const file = path.join(dir, SQLITE_FILE);
    const store = new SqliteStore(file);
    await store.appendAudit({ at: 1, actor: null, action: 'start' });

    // A connect storm's writes, all issued in one turn (one refused: a duplicate session).
    await store.createSession({
      id: 's-dup',
      personId: 'p1',
      refreshHash: 'h',
      createdAt: 1,
      expiresAt: 2,
      revokedAt: null,
    });
    const before = { ...store.stats };
    const audits = Array.from({ length: 200 }, (_, i) =>
      store.appendAudit({ at: 10 + i, actor: `p${i}`, action: 'group-open', docName: `group:g${i % 7}` }),
    );
    const members = store.addGroupMembers([{ groupId: 'g1', kind: 'person', ref: 'p1', at: 5 }]);
    const dup = store.createSession({
      id: 's-dup',
      personId: 'p2',
      refreshHash: 'h2',
      createdAt: 1,
      expiresAt: 2,
      revokedAt: null,
    });
    const settled = Promise.allSettled([...audits, members]);

    // Nothing of the turn is visible to another connection (so not durable) before the commit.
    const reader = new Database(file, { readonly: true });
    try {
      const count = (): number => (reader.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      expect(count()).toBe(1);
      let resolvedEarly = false;
      void audits[0]!.then(() => {
        resolvedEarly = count() !== 201;
      });

      await expect(dup).rejects.toThrow();
      const results = await settled;
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      expect(resolvedEarly).toBe(false);
      // Sequence numbers in call order, one commit for the whole turn.
      expect(await Promise.all(audits)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
      expect(store.stats.commits - before.commits).toBe(1);
      expect(count()).toBe(201);

      const rows = reader
        .prepare(
          'SELECT seq, at, actor, action, doc_name AS docName, detail, prev_hash AS prevHash, hash FROM audit ORDER BY seq',
        )
        .all() as StoredChainRow[];
      expect(verifyChain(rows)).toMatchObject({ ok: true, rows: 201 });
      expect(rows.slice(1).map((r) => r.at)).toEqual(Array.from({ length: 200 }, (_, i) => 10 + i));
      expect(await store.listGroupMembers('g1')).toEqual([{ groupId: 'g1', kind: 'person', ref: 'p1', at: 5 }]);
      expect((await store.getSession('s-dup'))?.personId).toBe('p1');
    } finally {
      reader.close();
      await store.close();
    }
  });
});
