/**
 * HTTP-2..HTTP-4 against the real server on a real small disk (a tmpfs, tests/helpers/smallDisk.ts): a photo
 * upload on a full disk is answered 507 at once and leaves no temp file; a login on a full disk is answered 503
 * with its reason, and both work again once space returns; unfinished uploads are removed at start-up; a body
 * shorter than its Content-Length gets 400 and no ERROR; a read-only data folder stops the server in one line.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';
import { canMountSmallDisk, mountSmallDisk } from '../helpers/smallDisk.ts';
import type { SmallDisk } from '../helpers/smallDisk.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Temp files of uploads under a data dir's photos folder. */
function tempFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'photos');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).endsWith('.tmp'));
}

/** Sends raw bytes on a fresh TCP connection and returns everything the server answers until it closes. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let out = '';
    s.on('data', (d) => (out += d.toString('utf8')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

describe.skipIf(!canMountSmallDisk())('HTTP-3: a full disk', () => {
  let disk: SmallDisk;
  let server: TestServer;
  beforeAll(async () => {
    disk = mountSmallDisk(48 * 1024 * 1024);
    server = await startServer({ dataDir: path.join(disk.dir, 'data') });
  });
  afterAll(async () => {
    await server?.stop();
    disk?.unmount();
  });

  it('HTTP-3: a photo upload on a full disk is answered 507 storage-full, leaves no temp file, and works once space returns', async () => {
    const who = await login(server.url, 'demo015');
    const photo = makePng(400, 400, { noise: true });
    const hash = sha(photo);
    const put = (): Promise<Response> =>
      fetch(`${server.url}/api/photos/${hash}?group=grp-full-disk`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(photo),
      });
    disk.fill();
    try {
      const res = await put();
      expect(res.status).toBe(507);
      expect(((await res.json()) as { error: string }).error).toBe('storage-full');
      expect(tempFiles(server.dataDir)).toEqual([]);
    } finally {
      disk.free();
    }
    const again = await put();
    expect(again.status).toBe(201);
    expect(server.output()).not.toMatch(/unhandled rejection/);
  });

  it('HTTP-3: a login on a full disk is answered 503 storage-full with Retry-After (never 500), and succeeds once space returns', async () => {
    disk.fill();
    const statuses: number[] = [];
    try {
      // Each login writes a session and an audit row; SQLite may still have room in pages it holds, so log in
      // until the disk refuses one.
      for (let i = 0; i < 200 && !statuses.includes(503); i++) {
        const res = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ policeNo: 'demo005', password: 'muster-demo' }),
        });
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toBe('60');
          const body = (await res.json()) as { error: string; message: string };
          expect(body.error).toBe('storage-full');
          expect(body.message).toMatch(/disk is full/);
        } else await res.body?.cancel();
      }
    } finally {
      disk.free();
    }
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const ok = await login(server.url, 'demo005');
    expect(ok.token.length).toBeGreaterThan(10);
  });
});

describe('HTTP-2, HTTP-3: bodies that stall, uploads that never finished', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { MUSTER_HTTP_BODY_IDLE_MS: '300', MUSTER_HTTP_HEADERS_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('HTTP-2: a body shorter than its Content-Length is answered 400 incomplete-body, logged without an ERROR', async () => {
    const body = '{"policeNo":';
    const answer = await rawRequest(
      server.port,
      `POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('incomplete-body');
    expect(server.output()).not.toMatch(/ ERROR /);
  });

  it('HTTP-2: headers that never finish are not waited for (408 and the connection closed)', async () => {
    const answer = await rawRequest(server.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: `);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('HTTP-3: temp files of unfinished uploads are removed at start-up', async () => {
    const dir = path.join(server.dataDir, 'photos', 'ab');
    fs.mkdirSync(dir, { recursive: true });
    const stale = path.join(dir, `.${'c'.repeat(62)}.4242.0123456789ab.tmp`);
    fs.writeFileSync(stale, '');
    await server.restart();
    expect(fs.existsSync(stale)).toBe(false);
    expect(server.output()).toMatch(/removed unfinished photo uploads/);
  });
});

describe.skipIf(!canMountSmallDisk())('HTTP-4: a read-only data folder', () => {
  it('HTTP-4: the server stops with one line naming the folder and the reason', () => {
    const disk = mountSmallDisk(4 * 1024 * 1024);
    try {
      disk.readOnly();
      const dataDir = path.join(disk.dir);
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'sync-server/src/main.ts')], {
        env: { ...process.env, MUSTER_DATA_DIR: dataDir, MUSTER_PORT: '0', MUSTER_HOST: '127.0.0.1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(dataDir);
      expect(lines[0]).toMatch(/read-only/);
      expect(lines[0]).not.toMatch(/\n\s+at /);
    } finally {
      disk.unmount();
    }
  }, 90_000);
});
