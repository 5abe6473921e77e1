/**
 * HTTP-1: every response (the app page, assets, app routes, API successes and API errors) carries a strict
 * Content-Security-Policy and the secure headers; a forged Host header cannot widen the policy; no cookies.
 * Bad requests get clear ApiError answers, never a crash. Already covered elsewhere and not repeated here:
 * invalid JSON, oversize (declared) and wrong-type bodies on /api/login (api.test.ts), path traversal on static
 * files (static-and-health.test.ts, static.test.ts). Added here: bodies over the cap without Content-Length
 * (chunked), invalid JSON and oversize on the other JSON routes, traversal aimed through /api/ and /sync/.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@muster/protocol';
import { WebSocket, login } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request sent exactly as given (fetch would normalise the path and forbids some headers). */
function raw(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer[] },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (Array.isArray(opts.body)) {
      // Chunked, no Content-Length: the cap must hold while streaming. The server may answer and close early.
      for (const chunk of opts.body) if (!req.destroyed) req.write(chunk);
      req.end();
    } else req.end(opts.body);
  });
}

function directives(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), values);
  }
  return m;
}

describe('HTTP-1: security headers and clear errors', () => {
  let server: TestServer;
  let root: string;
  let token: string;

  /** HTTP-1 on one response: strict CSP (own origin only, no inline/eval, ws only to this host), secure headers. */
  function expectHardened(r: Raw, what: string): void {
    const csp = r.headers['content-security-policy'];
    expect(csp, `${what}: CSP`).toBeTypeOf('string');
    const d = directives(csp as string);
    expect(d.get('default-src'), what).toEqual(["'self'"]);
    expect(d.get('script-src'), what).toEqual(["'self'"]);
    expect(d.get('frame-ancestors'), what).toEqual(["'none'"]);
    expect(d.get('object-src'), what).toEqual(["'none'"]);
    expect(d.get('connect-src'), what).toEqual([
      "'self'",
      `ws://127.0.0.1:${server.port}`,
      `wss://127.0.0.1:${server.port}`,
    ]);
    for (const [name, values] of d) {
      for (const v of values) {
        expect(v, `${what}: ${name}`).not.toMatch(/unsafe-inline|unsafe-eval|^\*$|^https?:|^\*\./);
      }
    }
    expect(r.headers['x-content-type-options'], what).toBe('nosniff');
    expect(r.headers['referrer-policy'], what).toBe('no-referrer');
    expect(r.headers['x-frame-options'], what).toBe('DENY');
    expect(r.headers['set-cookie'], `${what}: no cookies`).toBeUndefined();
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-headers-'));
    const dist = path.join(root, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>Muster</title><script type="module" src="/assets/index-3f2a9c1d.js"></script>',
    );
    fs.writeFileSync(path.join(dist, 'assets', 'index-3f2a9c1d.js'), 'console.log(1);');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET');
    server = await startServer({ env: { MUSTER_STATIC_DIR: dist } });
    token = (await login(server.url, 'demo015')).token;
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('HTTP-1: the app page, its assets and app routes carry the strict CSP and secure headers', async () => {
    for (const p of ['/', '/index.html', '/assets/index-3f2a9c1d.js', '/groups/grp-1', '/missing.js']) {
      const r = await raw(server.port, { path: p });
      expect(r.status, p).toBe(p === '/missing.js' ? 404 : 200);
      expectHardened(r, p);
    }
  });

  it('HTTP-1: API successes and API errors carry the same headers, and no cookies (login included)', async () => {
    const cases: [string, Parameters<typeof raw>[1], number][] = [
      ['health', { path: '/api/health' }, 200],
      ['me', { path: '/api/me', headers: { authorization: `Bearer ${token}` } }, 200],
      ['me without token', { path: '/api/me' }, 401],
      ['unknown', { path: '/api/nothing' }, 404],
      ['wrong method', { path: '/api/login' }, 405],
      [
        'login',
        {
          path: '/api/login',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ policeNo: 'demo016', password: 'muster-demo' }),
        },
        200,
      ],
      [
        'bad login',
        {
          path: '/api/login',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ policeNo: 'demo016', password: 'wrong' }),
        },
        401,
      ],
    ];
    for (const [what, req, status] of cases) {
      const r = await raw(server.port, req);
      expect(r.status, what).toBe(status);
      expectHardened(r, what);
      expect(r.headers['content-type'], what).toMatch(/^application\/json/);
      expect(r.headers['cache-control'], what).toBe('no-store');
    }
  });

  it('HTTP-1: a forged Host header cannot add sources to the policy', async () => {
    for (const host of ['evil.example; script-src *', "x 'unsafe-inline'", 'a.com\tb.com']) {
      const r = await raw(server.port, { path: '/', headers: { host } }).catch(() => null);
      if (!r) continue; // refused outright by Node's parser: also fine
      const d = directives(r.headers['content-security-policy'] as string);
      expect(d.get('script-src'), host).toEqual(["'self'"]);
      expect(d.get('connect-src'), host).toEqual(["'self'"]);
      expect(r.headers['content-security-policy'], host).not.toMatch(/evil|unsafe-inline|b\.com/);
    }
  });

  it('HTTP-1: invalid JSON and oversized bodies on every JSON route get a clear 400/413 ApiError, also when chunked', async () => {
    const json = { 'content-type': 'application/json' };
    // The admin, so that the revoke route reads its body (logout takes no body).
    const admin = await login(server.url, 'demo003');
    const auth = { ...json, authorization: `Bearer ${admin.token}` };
    for (const [p, headers] of [
      ['/api/refresh', json],
      ['/api/admin/revoke', auth],
      ['/api/login', json],
    ] as const) {
      const bad = await raw(server.port, { path: p, method: 'POST', headers, body: '{"refreshToken": ' });
      expect(bad.status, `${p} invalid JSON`).toBe(400);
      expect(JSON.parse(bad.body), p).toMatchObject({ error: 'invalid-json', message: expect.any(String) });
      expectHardened(bad, `${p} invalid JSON`);
      // 128 KiB in 4 KiB chunks with no Content-Length: the cap (64 KiB) is enforced while streaming.
      const chunks = Array.from({ length: 32 }, () => Buffer.alloc(4096, 0x20));
      const big = await raw(server.port, { path: p, method: 'POST', headers, body: chunks }).catch(
        (e: NodeJS.ErrnoException) => ({ status: -1, headers: {}, body: String(e.code) }) as Raw,
      );
      // Either a clean 413 ApiError, or (when the server closes before all was sent) a reset: never a 2xx/500.
      if (big.status === -1) expect(big.body, p).toMatch(/ECONNRESET|EPIPE/);
      else {
        expect(big.status, `${p} chunked oversize`).toBe(413);
        expect(JSON.parse(big.body)).toMatchObject({ error: 'body-too-large' });
      }
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('HTTP-1: traversal aimed through /api/ and /sync/ (plain, encoded, double-encoded) reads nothing', async () => {
    for (const p of [
      '/api/../secret.txt',
      '/api/..%2f..%2fsecret.txt',
      '/api/%2e%2e/%2e%2e/secret.txt',
      '/api/health/../../secret.txt',
      '/%252e%252e/secret.txt',
      '/assets/%252e%252e%252fsecret.txt',
      '/sync/..%2f..%2fsecret.txt',
    ]) {
      const r = await raw(server.port, { path: p });
      expect([400, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain('TOP-SECRET');
      expectHardened(r, p);
      expect(() => JSON.parse(r.body) as unknown, p).not.toThrow();
    }
    // A websocket to a traversing document name is refused, not served.
    for (const doc of ['..%2f..%2fsecret.txt', '%2e%2e', 'group%3A..%2F..%2Fx']) {
      const ws = new WebSocket(`${server.wsUrl}/${doc}?token=${encodeURIComponent(token)}`);
      const outcome = await new Promise<string>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
        ws.on('close', (code) => resolve(`close ${code}`));
        ws.on('error', () => {});
      });
      ws.terminate();
      expect(outcome, doc).toMatch(new RegExp(`^(http 4\\d\\d|close (${CloseCode.notFound}|${CloseCode.malformed}))$`));
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
