/** SAFE-1, SAFE-2: a fresh data dir holds no demo data unless asked, and production never asks. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, TestServer } from '../helpers/startServer.ts';

const loginStatus = async (url: string, policeNo: string): Promise<number> => {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policeNo, password: 'muster-demo' }),
  });
  await res.arrayBuffer();
  return res.status;
};

describe('secure defaults', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0).reverse()) await s.stop();
  });

  it('SAFE-1: a start not asking for demo data leaves a fresh data dir empty and says how to fill it; --demo fills it', async () => {
    const plain = new TestServer({ demo: false });
    servers.push(plain);
    await plain.start();
    expect(await loginStatus(plain.url, 'demo015')).toBe(401);
    expect(plain.output()).toMatch(/WARN.*the directory is empty/);
    await plain.kill();

    // The same data dir, now started as `npm start` does (asking for the demo city).
    const demo = new TestServer({ dataDir: plain.dataDir });
    servers.push(demo);
    await demo.start();
    expect(await loginStatus(demo.url, 'demo015')).toBe(200);
    expect(demo.output()).not.toMatch(/the directory is empty/);
  });

  it('SAFE-1, SAFE-2: a production start refuses demo data and the manual clock, and says why', async () => {
    for (const env of <Record<string, string>[]>[
      { NODE_ENV: 'production', MUSTER_DEMO: '1' },
      { NODE_ENV: 'production', MUSTER_DEMO: '0', MUSTER_CLOCK: 'manual' },
    ]) {
      const s = new TestServer({ demo: false, env });
      servers.push(s);
      await expect(s.start()).rejects.toThrow(/exited early \(2\)/);
      expect(s.output()).toMatch(/never (seeds demo data|runs MUSTER_CLOCK=manual)/);
      expect(fs.existsSync(path.join(s.dataDir, 'muster.sqlite'))).toBe(false);
    }
  });

  it('SAFE-1: `npm start` asks for the demo city and the production start does not', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['start']).toMatch(/main\.ts --demo$/);
    expect(scripts['start:production']).toMatch(/NODE_ENV=production/);
    expect(scripts['start:production']).not.toMatch(/--demo|MUSTER_DEMO/);
  });
});
