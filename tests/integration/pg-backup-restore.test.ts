import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { verifyChain } from '../../sync-server/src/audit/chain.ts';
import { openPgStore } from '../../sync-server/src/store/pgStore.ts';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../../sync-server/src/store/pg/testSchema.ts';

const chainOf = async (url: string, schema: string) => {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const rows = (await c.query('SELECT * FROM audit ORDER BY seq')).rows as Record<string, unknown>[];
    return verifyChain(
      rows.map((r) => ({
        seq: Number(r['seq']),
        at: Number(r['at']),
        actor: r['actor'] as string | null,
        action: r['action'] as string,
        docName: r['doc_name'] as string | null,
        detail: r['detail'] as string | null,
        prevHash: r['prev_hash'] as string | null,
        hash: r['hash'] as string | null,
      })),
    );
  } finally {
    await c.end();
  }
};

describe('backups of the PostgreSQL store', () => {
  const schema = uniqueSchema('bk');
  const database = `restore_${schema}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-backup-'));
  const restoredUrl = TEST_PG_URL.replace(/\/[^/?]+(\?.*)?$/, `/${database}`);
  afterEach(async () => {
    await dropSchema(schema);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SCALE-8: pg_dump of a live store restores with pg_restore into a new database: same documents, same audit chain', async () => {
    const store = openPgStore({ url: TEST_PG_URL, schema, max: 2 });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 30; i++) doc.getMap('m').set(`k${i}`, `v${i}`);
    await store.appendUpdates([{ docName: 'group:backup', updates }]);
    for (let i = 0; i < 12; i++) await store.appendAudit({ at: i, actor: 'p1', action: 'login', detail: { i } });
    const file = path.join(dir, 'muster.dump');
    // The dump is taken while the store is open (pg_dump reads one consistent snapshot).
    execFileSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${file}`, TEST_PG_URL]);
    await store.close();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    execFileSync('pg_restore', ['--exit-on-error', `--dbname=${restoredUrl}`, file]);

    const restored = openPgStore({ url: restoredUrl, schema, max: 2 });
    try {
      const loaded = await restored.loadDoc('group:backup');
      const copy = new Y.Doc();
      for (const u of loaded.updates) Y.applyUpdate(copy, u);
      expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      const before = await chainOf(TEST_PG_URL, schema);
      const after = await chainOf(restoredUrl, schema);
      expect(after).toMatchObject({ ok: true, rows: 12 });
      expect(after).toEqual(before);
      // The restored store takes new writes where the old one stopped.
      expect(await restored.appendAudit({ at: 99, actor: null, action: 'restored' })).toBe(13);
      expect((await restored.appendUpdates([{ docName: 'group:backup', updates: [updates[0]!] }]))[0]!.lastSeq).toBe(
        updates.length + 1,
      );
    } finally {
      await restored.close();
    }
  });
});
