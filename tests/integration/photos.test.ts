/**
 * Photos on findings, server side (PHOTO-2..PHOTO-5): content-addressed PUT/HEAD/GET under /api/photos/<sha256>,
 * hash, size and type checks, idempotent re-upload, group access, no path traversal, no anonymous access.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFinding, startGroup } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const MAX = 64 * 1024;
const GROUP = 'grp-photos';

/** A valid PNG of `w`×`h` gray pixels (noise keeps the size up when asked). */
function png(w: number, h: number, noise = false): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  if (noise) crypto.randomFillSync(raw);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: noise ? 0 : 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('PHOTO-2..PHOTO-5: photo storage on the relay', () => {
  let server: TestServer;
  let ini: LoginResponse;
  let desk: LoginResponse;
  let outsider: LoginResponse;
  const url = (hash: string, group = GROUP) => `${server.url}/api/photos/${hash}?group=${group}`;
  const put = (hash: string, body: Buffer, token = ini.token, group = GROUP) =>
    fetch(url(hash, group), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(body),
    });
  const get = (hash: string, token: string, method = 'GET') =>
    fetch(url(hash), { method, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startServer({ env: { MUSTER_MAX_PHOTO_BYTES: String(MAX) } });
    ini = await login(server.url, 'demo016'); // frontline officer of st-e1
    desk = await login(server.url, 'demo010'); // on duty at p-e-cid, invited below
    outsider = await login(server.url, 'demo023'); // leader of another sub-bureau
    const c = connectGroup(server.wsUrl, GROUP, ini.token);
    await waitFor(() => c.provider.synced, 20_000, 'synced');
    const actor = { personId: ini.person.id, name: ini.person.name };
    c.doc.transact(() => {
      startGroup(c.doc, { id: GROUP, kind: 'incident', title: 'P', unitId: 'st-e1', initiator: actor, deviceTime: 1 });
      c.doc.getMap('invitations').set('inv-cid', {
        id: 'inv-cid',
        post: { id: 'p-e-cid', name: '协同支撑岗', unitId: 'br-e-cid', unitName: '刑警大队', kind: 'support' },
        deadlineMinutes: 30,
        invitedBy: actor,
        deviceTime: 1,
      });
      addFinding(c.doc, { id: 'f1', text: 'seed', author: actor, deviceTime: 2 });
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'acked');
    c.destroy();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('PHOTO-2: stores a PNG under photos/ab/cdef…, idempotent on re-upload (no rewrite), HEAD and GET with immutable caching', async () => {
    const body = png(32, 24);
    const hash = sha(body);
    const first = await put(hash, body);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ hash, size: body.length, mime: 'image/png', created: true });
    const file = path.join(server.dataDir, 'photos', hash.slice(0, 2), hash.slice(2));
    expect(fs.readFileSync(file).equals(body)).toBe(true);
    // Backdate the stored file so any rewrite would show as a changed mtime, whatever the clock's resolution.
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    const mtime = fs.statSync(file).mtimeMs;

    const again = await put(hash, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false });
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    // No temp files left behind.
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const head = await get(hash, ini.token, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(body.length));
    // The invited desk reads it; immutable caching.
    const got = await get(hash, desk.token);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
  });

  it('PHOTO-2: an upload cut off half way leaves nothing behind; the restarted upload stores it once', async () => {
    const body = png(200, 150, true);
    const hash = sha(body);
    const dir = path.join(server.dataDir, 'photos', hash.slice(0, 2));
    const tmpFiles = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')) : []);
    await new Promise<void>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'PUT',
        path: `/api/photos/${hash}?group=${GROUP}`,
        headers: { authorization: `Bearer ${ini.token}`, 'content-length': String(body.length) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // Cut the upload off once the relay has started writing it, not after a guessed delay.
      req.write(body.subarray(0, body.length >> 1), () => {
        waitFor(() => tmpFiles().length > 0, 20_000, 'upload started').then(() => req.destroy(), reject);
      });
    });
    await waitFor(() => tmpFiles().length === 0, 20_000, 'tmp removed');
    expect(fs.existsSync(path.join(dir, hash.slice(2)))).toBe(false);
    expect((await get(hash, ini.token, 'HEAD')).status).toBe(404);
    expect((await put(hash, body)).status).toBe(201);
    expect((await put(hash, body)).status).toBe(200);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(hash.slice(2, 10)) || f.startsWith('.'))).toEqual([
      hash.slice(2),
      `${hash.slice(2)}.groups`,
    ]);
  });

  it('PHOTO-3: wrong hash → 400, too large → 413, not JPEG/PNG/WebP → 415, nothing stored', async () => {
    const body = png(16, 16);
    const wrong = await put('0'.repeat(64), body);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'hash-mismatch' });

    const big = png(400, 400, true);
    expect(big.length).toBeGreaterThan(MAX);
    const tooLarge = await put(sha(big), big);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: 'photo-too-large' });

    const gif = Buffer.from('GIF89a this is not an allowed type');
    const badType = await put(sha(gif), gif);
    expect(badType.status).toBe(415);
    expect(await badType.json()).toMatchObject({ error: 'unsupported-photo-type' });

    for (const h of ['0'.repeat(64), sha(big), sha(gif)]) {
      expect(fs.existsSync(path.join(server.dataDir, 'photos', h.slice(0, 2), h.slice(2)))).toBe(false);
    }
  });

  it('PHOTO-4: traversal and malformed names are refused (400/404), nothing outside photos/ is read', async () => {
    const auth = { authorization: `Bearer ${ini.token}` };
    // Raw request paths (fetch would normalise `..` away before sending).
    const raw = (p: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: server.port, path: p, headers: auth }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
      });
    for (const name of [
      '..%2F..%2Fmuster.sqlite',
      '../../jwt-secret',
      '%2e%2e%2fjwt-secret',
      'ABCDEF',
      'a'.repeat(63),
    ]) {
      const r = await raw(`/api/photos/${name}?group=${GROUP}`);
      expect([400, 404]).toContain(r.status);
      expect(r.text).not.toContain('secret');
    }
    const r = await fetch(`${server.url}/api/photos/${'a'.repeat(64)}?group=..%2F..`, { headers: auth });
    expect(r.status).toBe(400);
  });

  it('PHOTO-5: no token → 401; a person who may not open the group gets 404 (GET) and 403 (PUT)', async () => {
    const body = png(8, 8);
    const hash = sha(body);
    expect((await put(hash, body)).status).toBe(201);
    expect((await fetch(url(hash))).status).toBe(401);
    expect((await fetch(url(hash), { method: 'PUT', body: new Uint8Array(body) })).status).toBe(401);
    expect((await get(hash, outsider.token)).status).toBe(404);
    expect((await put(hash, body, outsider.token)).status).toBe(403);
    // A photo of another group is not readable through this one.
    const other = png(9, 9);
    expect((await get(sha(other), ini.token)).status).toBe(404);
  });
});
