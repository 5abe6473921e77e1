import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { GroupListResponse } from '@muster/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { addFinding, readMeta, startGroup, timeline } from '@muster/core';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../../sync-server/src/store/pg/testSchema.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';
import { REPO_ROOT, TestServer } from '../helpers/startServer.ts';

const CLI = path.join(REPO_ROOT, 'sync-server/src/store/migrateCli.ts');

function migrate(dataDir: string, schema: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI], {
    cwd: REPO_ROOT,
    env: { ...process.env, MUSTER_DATA_DIR: dataDir, MUSTER_PG_URL: TEST_PG_URL, MUSTER_PG_SCHEMA: schema },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('npm run migrate:sqlite-to-pg', () => {
  const servers: TestServer[] = [];
  const clients: GroupClient[] = [];
  const schemas: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const s of servers) console.log(s.output());
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('SCALE-6: moves a SQLite data dir into PostgreSQL, verifies it, and the relay serves it from there', async () => {
    const sqlite = await new TestServer().start();
    servers.push(sqlite);
    const { token, person } = await login(sqlite.url, 'demo015');
    const actor = { personId: person.id, name: person.name };
    const A = connectGroup(sqlite.wsUrl, 'grp-move-1', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 20_000, 'synced');
    startGroup(A.doc, {
      id: 'grp-move-1',
      kind: 'task',
      title: 'Move (fictional)',
      unitId: 'st-e1',
      initiator: actor,
      deviceTime: 1,
    });
    for (let i = 0; i < 20; i++)
      addFinding(A.doc, { id: `f-${i}`, text: `finding ${i}`, author: actor, deviceTime: i });
    await waitFor(() => A.fullyAcked(), 20_000, 'acknowledged');
    A.destroy();
    // PHOTO-6: a photo of the group, a file in the data dir before the move.
    const png = makePng(40, 30, { gray: 0x50 });
    const hash = crypto.createHash('sha256').update(png).digest('hex');
    const photoUrl = (base: string) => `${base}/api/photos/${hash}?group=grp-move-1`;
    const put = await fetch(photoUrl(sqlite.url), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}` },
      body: new Uint8Array(png),
    });
    expect(put.status).toBe(201);
    await sqlite.kill('SIGTERM');

    const schema = uniqueSchema('mv');
    schemas.push(schema);
    const moved = migrate(sqlite.dataDir, schema);
    expect(moved.out).toMatch(/verified: \d+ documents identical/);
    expect(moved.out).toMatch(/verified: 1 photos \(1 group links\) moved/);
    expect(moved.out).toMatch(/verified: audit chain intact, [1-9]\d* rows/);
    expect(moved.status).toBe(0);
    // A second move into the same schema is refused (nothing is doubled).
    const again = migrate(sqlite.dataDir, schema);
    expect(again.status).toBe(1);
    expect(again.out).toMatch(/already holds data/);

    const pgNode = await new TestServer({
      demo: false,
      env: { MUSTER_STORE: 'pg', MUSTER_PG_URL: TEST_PG_URL, MUSTER_PG_SCHEMA: schema },
    }).start();
    servers.push(pgNode);
    const fresh = await login(pgNode.url, 'demo007');
    const C = connectGroup(pgNode.wsUrl, 'grp-move-1', fresh.token);
    clients.push(C);
    await waitFor(() => C.provider.synced, 20_000, 'synced from PostgreSQL');
    const ids = new Set(timeline(C.doc).map((t) => t.id));
    for (let i = 0; i < 20; i++) expect(ids.has(`f-${i}`)).toBe(true);
    expect(readMeta(C.doc)?.title).toBe('Move (fictional)');
    // The photo now comes from PostgreSQL, byte for byte.
    const again2 = await login(pgNode.url, 'demo015');
    const got = await fetch(photoUrl(pgNode.url), { headers: { Authorization: `Bearer ${again2.token}` } });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    // HIST-1: the list index moved too: the initiator's list served from PostgreSQL names the group.
    const list = await fetch(`${pgNode.url}/api/groups`, { headers: { Authorization: `Bearer ${again2.token}` } });
    expect(((await list.json()) as GroupListResponse).groups.map((g) => g.id)).toContain('grp-move-1');
  });

  it('SCALE-6: a data dir whose audit chain is broken is reported, exit 1', async () => {
    const sqlite = await new TestServer().start();
    servers.push(sqlite);
    await login(sqlite.url, 'demo015');
    await sqlite.kill('SIGTERM');
    const db = new Database(path.join(sqlite.dataDir, 'muster.sqlite'));
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET action = 'tampered' WHERE seq = (SELECT min(seq) FROM audit)").run();
    db.close();
    const schema = uniqueSchema('mv');
    schemas.push(schema);
    const r = migrate(sqlite.dataDir, schema);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/audit chain broken at seq \d+/);
  });
});
