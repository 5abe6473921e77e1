import { describe, expect, it } from 'vitest';
import { TEST_PG_URL, dropSchema, uniqueSchema } from './pg/testSchema.ts';
import { MIGRATIONS } from './pg/migrations.ts';
import { FencedError, openPgStore } from './pgStore.ts';
import { storeContract } from './storeContract.ts';

storeContract('postgresql', () => {
  const schema = uniqueSchema('store');
  return {
    open: () => openPgStore({ url: TEST_PG_URL, schema, max: 4 }),
    persistent: true,
    cleanup: () => dropSchema(schema),
  };
});

describe('PostgreSQL store specifics', () => {
  it('SCALE-1: records its numbered migrations and keeps the audit table append-only', async () => {
    const schema = uniqueSchema('store');
    const store = openPgStore({ url: TEST_PG_URL, schema, max: 2 });
    try {
      await store.appendAudit({ at: 1, actor: null, action: 'start' });
      const versions = (await store.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY 1'))
        .rows;
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await expect(store.pool.query("UPDATE audit SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(store.pool.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
      expect(await store.listAudit()).toHaveLength(1);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('SCALE-2 AUDIT-7 HIST-8: a write of a document whose lease this node does not hold is refused and writes nothing', async () => {
    const schema = uniqueSchema('store');
    let token = 0;
    const store = openPgStore({ url: TEST_PG_URL, schema, max: 2, fence: () => ({ node: 'n1', token }) });
    try {
      await store.ready();
      await store.pool.query(
        "INSERT INTO leases (doc, node, node_url, token, expires_at) VALUES ('group:g', 'n1', 'x', 7, now() + interval '1 minute')",
      );
      const signOff = { at: 1, actor: 'a', action: 'sign-off', docName: 'group:g', detail: { id: 's1' } };
      await expect(
        store.appendUpdates([{ docName: 'group:g', updates: [new Uint8Array([1])], audit: [signOff] }]),
      ).rejects.toThrow(FencedError);
      expect(await store.listAudit()).toEqual([]);
      token = 7;
      expect((await store.appendUpdates([{ docName: 'group:g', updates: [new Uint8Array([1])] }]))[0]!.lastSeq).toBe(1);
      await store.pool.query("UPDATE leases SET expires_at = now() - interval '1 second'");
      await expect(store.appendUpdates([{ docName: 'group:g', updates: [new Uint8Array([2])] }])).rejects.toThrow(
        FencedError,
      );
      await expect(store.compact('group:g', new Uint8Array([9]), 1)).rejects.toThrow(FencedError);
      // HIST-8: only the inbox document's owner archives it
      await expect(
        store.archiveInbox({ docName: 'group:g', rows: [], snapshot: new Uint8Array([9]), lastSeq: 1 }),
      ).rejects.toThrow(FencedError);
      expect((await store.loadDoc('group:g')).lastSeq).toBe(1);
      expect((await store.loadDoc('group:g')).snapshot).toBeNull();
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
