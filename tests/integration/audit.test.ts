import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/clients.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

function verify(dataDir: string): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'sync-server/src/audit/verifyCli.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, MUSTER_DATA_DIR: dataDir },
      encoding: 'utf8',
    },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('audit log', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('AUDIT-1 AUDIT-2: logins and failures are chained; audit:verify passes, then names the row an attacker edited', async () => {
    await login(server.url, 'demo015');
    await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policeNo: 'demo015', password: 'nope' }),
    });
    await login(server.url, 'demo005');
    await server.kill('SIGTERM');

    const ok = verify(server.dataDir);
    expect(ok.out).toMatch(/audit chain intact: \d+ rows/);
    expect(ok.status).toBe(0);

    // An attacker with the file drops the append-only trigger and turns the failure into a success.
    const db = new Database(path.join(server.dataDir, 'muster.sqlite'));
    const row = db.prepare("SELECT seq FROM audit WHERE action = 'login-failed' ORDER BY seq LIMIT 1").get() as {
      seq: number;
    };
    expect(() => db.prepare("UPDATE audit SET action = 'login' WHERE seq = ?").run(row.seq)).toThrow(/append-only/);
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET action = 'login' WHERE seq = ?").run(row.seq);
    db.close();

    const broken = verify(server.dataDir);
    expect(broken.status).toBe(1);
    expect(broken.out).toContain(`BROKEN at row seq=${row.seq}`);
    // The root script runs the same check.
    expect(() =>
      execFileSync('npm', ['run', '--silent', 'audit:verify'], {
        cwd: REPO_ROOT,
        env: { ...process.env, MUSTER_DATA_DIR: server.dataDir },
        stdio: 'pipe',
      }),
    ).toThrow();
  });
});
