/**
 * Serves the built web app. The service worker, its registration, the manifest and index.html are never cached
 * by HTTP (`no-cache`: always revalidated); hashed files under /assets/ are cached for a year, immutable.
 * Paths that do not name a file fall back to index.html (the app routes them); traversal is refused.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendError } from './respond.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function cacheControlOf(urlPath: string): string {
  return urlPath.startsWith('/assets/') ? IMMUTABLE : NO_CACHE;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Muster: web app not built</title></head>
<body><h1>Muster (警务协同)</h1><p>The web app has not been built. Run <code>npm run build</code>
(or <code>npm start</code>, which builds it) and reload.</p><p>The relay and the API are running.</p></body></html>
`;

/** A decoded URL path that is safe to join to the root, or null. */
export function safeRelativePath(rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  return decoded;
}

export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = path.resolve(root);

  const serveFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    stat: fs.Stats,
    cache: string,
  ): Promise<void> => {
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': cache,
      ETag: etag,
      'Last-Modified': stat.mtime.toUTCString(),
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': stat.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = fs.createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      stream.pipe(res);
    });
  };

  const statFile = async (file: string): Promise<fs.Stats | null> => {
    try {
      const real = await fs.promises.realpath(file);
      const realBase = await fs.promises.realpath(base);
      if (real !== realBase && !real.startsWith(realBase + path.sep)) return null;
      const stat = await fs.promises.stat(real);
      return stat.isFile() ? stat : null;
    } catch {
      return null;
    }
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendError(res, 405, 'method-not-allowed', 'only GET and HEAD are served here');
      return;
    }
    const raw = (req.url ?? '/').split('?')[0]!;
    const rel = safeRelativePath(raw);
    if (rel === null) {
      sendError(res, 400, 'bad-path', 'the path is not allowed');
      return;
    }
    const index = path.join(base, 'index.html');
    const indexStat = await statFile(index);
    if (!indexStat) {
      res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    if (rel !== '/' && !rel.endsWith('/')) {
      const file = path.join(base, rel);
      const stat = await statFile(file);
      if (stat) return serveFile(req, res, file, stat, cacheControlOf(rel));
      // A missing file (it has an extension, or is a hashed asset) is a 404, not the app.
      if (rel.startsWith('/assets/') || path.posix.extname(rel) !== '') {
        sendError(res, 404, 'not-found', 'no such file');
        return;
      }
    }
    await serveFile(req, res, index, indexStat, NO_CACHE);
  };
}
