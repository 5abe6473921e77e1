/**
 * PHOTO-2..PHOTO-6: content-addressed photos (the name is the lowercase hex SHA-256 of the bytes, so nothing a client
 * sends ever reaches a path but 64 hex digits), kept by a `PhotoStore` (files in the data dir, or PostgreSQL).
 *
 *  - `PUT /api/photos/<sha256>?group=<groupId>`: raw image bytes. The body's hash must match the name (400), the
 *    size stay within the limit (413), the bytes start like JPEG, PNG or WebP (415). Written to a temp file and
 *    renamed into place; an existing photo is not rewritten (200, idempotent: a restarted upload is harmless).
 *    The uploader must be allowed to write the group (or create it: a group made offline may be unregistered).
 *  - `HEAD|GET /api/photos/<sha256>?group=<groupId>`: for a person who may open the group (ACL-5) and a photo
 *    uploaded for that group; GET is cached as immutable (the name is the content).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PhotoPutResponse, TokenClaims } from '@muster/protocol';
import { HttpError, ReadAction, groupDocName } from '@muster/protocol';
import type { AccessControl } from '../access/access.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
import { bodyChunks } from './body.ts';
import { sendJson } from './respond.ts';
import type { Authenticate, Methods } from './router.ts';
import { storageHttpError } from './storageErrors.ts';
import { PHOTO_HASH } from '../photos/photoStore.ts';
import type { PhotoStore } from '../photos/photoStore.ts';

export const PHOTOS_PREFIX = '/api/photos/';
const HASH = PHOTO_HASH;
const GROUP_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface PhotoDeps {
  store: PhotoStore;
  maxPhotoBytes: number;
  access: Pick<AccessControl, 'decide' | 'canOpen'>;
  log: Logger;
  /** AUDIT-5: photo downloads are audited (`photo-read`). */
  audit?: Auditor;
}

/** The image type from the first bytes, or null when it is not JPEG, PNG or WebP. */
export function sniffImageType(head: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/**
 * HTTP-3: removes temp files of uploads a crash or a full disk left behind (`photos/ab/.<rest>.<pid>.<rand>.tmp`).
 * Returns how many were removed.
 */
export function removeStaleUploads(dataDir: string): number {
  const root = path.join(dataDir, 'photos');
  let removed = 0;
  const uploads = path.join(root, '.uploads');
  for (const f of fs.existsSync(uploads) ? fs.readdirSync(uploads) : []) {
    if (!f.endsWith('.tmp')) continue;
    fs.rmSync(path.join(uploads, f), { force: true });
    removed++;
  }
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root);
  } catch {
    return 0;
  }
  for (const d of dirs) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of fs.readdirSync(path.join(root, d))) {
      if (!f.startsWith('.') || !f.endsWith('.tmp')) continue;
      fs.rmSync(path.join(root, d, f), { force: true });
      removed++;
    }
  }
  return removed;
}

export function photoRoutes(deps: PhotoDeps, authenticate: Authenticate): Methods {
  const { store, maxPhotoBytes, access, log } = deps;

  const parse = (req: IncomingMessage): { hash: string; groupId: string } => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.slice(PHOTOS_PREFIX.length);
    if (!HASH.test(name)) {
      throw new HttpError(400, 'bad-photo-name', 'a photo is named by the lowercase hex SHA-256 of its bytes');
    }
    const groupId = url.searchParams.get('group') ?? '';
    if (!GROUP_ID.test(groupId)) throw new HttpError(400, 'group-required', 'name the group: ?group=<groupId>');
    return { hash: name, groupId };
  };

  const mayRead = async (claims: TokenClaims, hash: string, groupId: string): Promise<boolean> =>
    (await store.linked(hash, groupId)) && (await access.canOpen(claims, groupDocName(groupId)));

  const put = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const claims = await authenticate(req);
    const { hash, groupId } = parse(req);
    const decision = await access.decide(claims, groupDocName(groupId), false);
    if (decision.mode !== 'write' && decision.mode !== 'create') {
      throw new HttpError(403, 'forbidden', 'you may not add photos to this group');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxPhotoBytes) {
      throw new HttpError(413, 'photo-too-large', `a photo may be at most ${maxPhotoBytes} bytes`);
    }
    let tmp: string | null = null;
    const sha = crypto.createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let out: fs.WriteStream | null = null;
    let result: PhotoPutResponse;
    try {
      tmp = await store.tempFile(hash, `${process.pid}.${crypto.randomBytes(6).toString('hex')}`);
      const stream = fs.createWriteStream(tmp, { flags: 'wx' });
      out = stream;
      // HTTP-3: a failed write (a full disk) ends the upload at once; waiting for `drain` would wait forever.
      let failed: Error | null = null;
      stream.on('error', (e) => (failed ??= e));
      const write = (chunk: Buffer): Promise<void> =>
        new Promise((resolve, reject) => {
          if (failed) return reject(failed);
          stream.write(chunk, (e) => (e ? reject(e) : resolve()));
        });
      for await (const chunk of bodyChunks(req)) {
        size += chunk.length;
        if (size > maxPhotoBytes) {
          throw new HttpError(413, 'photo-too-large', `a photo may be at most ${maxPhotoBytes} bytes`);
        }
        if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
        sha.update(chunk);
        await write(chunk);
      }
      await new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        stream.once('error', reject);
        stream.end(() => (failed ? reject(failed) : resolve()));
      });
      const mime = sniffImageType(head);
      if (!mime) throw new HttpError(415, 'unsupported-photo-type', 'photos must be JPEG, PNG or WebP');
      const actual = sha.digest('hex');
      if (actual !== hash) {
        throw new HttpError(400, 'hash-mismatch', 'the SHA-256 of the body does not match the photo name');
      }
      const created = await store.put(hash, tmp, groupId);
      result = { hash, size, mime, created };
    } catch (error) {
      out?.destroy();
      // Drain what the client still sends so the error reaches it, and end the connection after the answer.
      if (!req.complete) {
        res.setHeader('Connection', 'close');
        req.resume();
      }
      const storage = storageHttpError(error, true);
      if (storage) log.warn('photo not stored', { hash, groupId, code: storage.code, error: errorText(error) });
      throw storage ?? error;
    } finally {
      if (tmp) await fsp.rm(tmp, { force: true }).catch(() => {});
    }
    log.info('photo stored', { hash, groupId, size, created: result.created, person: claims.sub });
    sendJson(res, result.created ? 201 : 200, result);
  };

  const get = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const claims = await authenticate(req);
    const { hash, groupId } = parse(req);
    if (!(await mayRead(claims, hash, groupId))) throw new HttpError(404, 'not-found', 'no such photo');
    const photo = await store.read(hash);
    if (!photo) throw new HttpError(404, 'not-found', 'no such photo');
    try {
      res.writeHead(200, {
        'Content-Type': sniffImageType(photo.head) ?? 'application/octet-stream',
        'Content-Length': photo.size,
        'Cache-Control': 'private, max-age=31536000, immutable',
        ETag: `"${hash}"`,
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      await deps.audit?.record({
        action: ReadAction.photo,
        actor: claims.sub,
        docName: groupDocName(groupId),
        detail: { hash },
      });
      await pipeline(photo.open(), res);
    } finally {
      await photo.close();
    }
  };

  return { PUT: put, GET: get, HEAD: get };
}
