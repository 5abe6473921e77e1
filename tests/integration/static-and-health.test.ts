import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

/** A GET with the path sent exactly as given (fetch would normalise `..`). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files and health', () => {
  let server: TestServer;
  let root: string;
  let secretFile: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-static-'));
    const dist = path.join(root, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Muster test app</title>');
    fs.writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    fs.writeFileSync(path.join(dist, 'registerSW.js'), 'navigator.serviceWorker.register("/sw.js");');
    fs.writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"Muster"}');
    fs.writeFileSync(path.join(dist, 'assets', 'index-3f2a9c1d.js'), 'console.log(1);');
    fs.writeFileSync(path.join(dist, 'assets', 'index-77aa00bb.css'), 'body{}');
    // A file beside the static dir, and a symlink pointing at it from inside.
    secretFile = path.join(root, 'secret.txt');
    fs.writeFileSync(secretFile, 'TOP-SECRET');
    fs.symlinkSync(secretFile, path.join(dist, 'link.txt'));
    server = await startServer({ env: { MUSTER_STATIC_DIR: dist } });
  });

  afterAll(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers health with server time', async () => {
    const before = Date.now();
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; serverTime: number };
    expect(body.ok).toBe(true);
    expect(body.serverTime).toBeGreaterThanOrEqual(before - 5000);
  });

  it('never caches the service worker, its registration, the manifest and index.html', async () => {
    for (const [p, type] of [
      ['/sw.js', 'text/javascript'],
      ['/registerSW.js', 'text/javascript'],
      ['/manifest.webmanifest', 'application/manifest+json'],
      ['/index.html', 'text/html'],
      ['/', 'text/html'],
    ] as const) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control'), p).toBe('no-cache');
      expect(res.headers.get('content-type'), p).toContain(type);
      await res.arrayBuffer();
    }
  });

  it('caches hashed assets for a year, immutable, and revalidates with ETag', async () => {
    const res = await fetch(`${server.url}/assets/index-3f2a9c1d.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1);');
    const css = await fetch(`${server.url}/assets/index-77aa00bb.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    await css.arrayBuffer();
    const again = await fetch(`${server.url}/assets/index-3f2a9c1d.js`, {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('falls back to index.html for app routes, but not for missing files or assets', async () => {
    const app = await fetch(`${server.url}/groups/grp-1?tab=timeline`);
    expect(app.status).toBe(200);
    expect(app.headers.get('cache-control')).toBe('no-cache');
    expect(await app.text()).toContain('Muster test app');
    for (const p of ['/missing.js', '/assets/index-00000000.js', '/assets/nothing']) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not-found' });
    }
  });

  it('refuses path traversal, also encoded, and does not follow symlinks out of the static dir', async () => {
    for (const p of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/a%5c..%5csecret.txt',
    ]) {
      const res = await rawGet(server.port, p);
      expect(res.status, p).toBe(400);
      expect(res.body, p).not.toContain('TOP-SECRET');
    }
    const link = await rawGet(server.port, '/link.txt');
    expect(link.status).toBe(404);
    expect(link.body).not.toContain('TOP-SECRET');
  });

  it('answers unknown API paths and disabled test endpoints with ApiError JSON', async () => {
    const res = await fetch(`${server.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not-found', message: 'no such endpoint' });
    const clock = await fetch(`${server.url}/api/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advanceMs":1000}',
    });
    expect(clock.status).toBe(404);
    await clock.arrayBuffer();
  });
});

describe('without a built app', () => {
  it('serves a plain page saying to run npm run build', async () => {
    const server = await startServer({ env: { MUSTER_STATIC_DIR: path.join(os.tmpdir(), 'muster-no-such-dir') } });
    try {
      const res = await fetch(`${server.url}/`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('npm run build');
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
