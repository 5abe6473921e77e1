/** DIR-1/DIR-2: `npm run directory:import -- FILE` against a data dir, through the real command. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/clients.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';

const CLI = path.join(REPO_ROOT, 'sync-server/src/directory/importCli.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-import-'));
const run = (file: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, file], {
    cwd: REPO_ROOT,
    env: { ...process.env, MUSTER_DATA_DIR: dataDir, MUSTER_INITIAL_PASSWORD: 'new-pass-1' },
    encoding: 'utf8',
  });

describe('directory import command', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('DIR-2: a bad file gets errors naming file, line and field, and changes nothing; DIR-1: a good one replaces', async () => {
    // Seed the demo city by starting the server once on the data dir.
    const first = await startServer({ dataDir });
    await first.stop();

    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      [
        '[units]',
        'id,name,nameEn,parentId,kind,initials',
        'u1,一号,Unit one,,planet,',
        '[posts]',
        'id,unitId,name,nameEn,kind,capabilities,initials',
        'p1,u-missing,岗,Post,management,,',
        '[persons]',
        'id,name,policeNo,unitId,roles,postIds',
        'x1,某人,imp001,u1,frontline,p1',
      ].join('\n'),
    );
    const r = run(bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3 kind: /);
    expect(r.stderr).toMatch(/bad\.csv:6 unitId: /);

    const good = path.join(dataDir, 'good.json');
    const city = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'packages/core/demo/city.json'), 'utf8')) as {
      persons: unknown[];
      onDuty: unknown[];
    };
    city.persons.push({
      id: 'imp001',
      name: '新人 (fictional)',
      policeNo: 'imp001',
      unitId: 'sb-e',
      roles: ['desk'],
      postIds: ['p-e-mgmt'],
    });
    city.onDuty = city.onDuty.filter((d) => (d as { personId: string }).personId !== 'demo005');
    city.onDuty.push({ personId: 'imp001', postId: 'p-e-mgmt', since: 1 });
    fs.writeFileSync(good, JSON.stringify(city, null, 2));

    // The bad import changed nothing: the demo city is still there.
    const server = await startServer({ dataDir });
    try {
      expect((await login(server.url, 'demo005')).person.postIds).toEqual(['p-e-mgmt']);
    } finally {
      await server.stop();
    }

    const ok = run(good);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const again = await startServer({ dataDir });
    try {
      // demo005 is no longer on duty; a person already stored keeps their password; a new one gets
      // MUSTER_INITIAL_PASSWORD.
      expect((await login(again.url, 'demo005')).person.postIds).toEqual([]);
      expect((await login(again.url, 'imp001', 'new-pass-1')).person.postIds).toEqual(['p-e-mgmt']);
      await expect(login(again.url, 'imp001')).rejects.toThrow(/401/);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
