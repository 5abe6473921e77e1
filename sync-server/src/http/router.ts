/**
 * The one router of the JSON API. Each feature gives a table of routes (path → method → handler); the router
 * answers 404 for an unknown path, 405 with `Allow` for a known path and another method, and turns every thrown
 * error into an `ApiError` answer: an `HttpError` as it is (with `Retry-After` when it has a wait), a storage
 * failure as its reason (HTTP-3), anything else as 500 `internal`. Field helpers for request bodies live here too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '@muster/protocol';
import type { TokenClaims } from '@muster/protocol';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { sendError } from './respond.ts';
import { storageHttpError } from './storageErrors.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
/** Bearer authentication: the token's claims, or HttpError 401. */
export type Authenticate = (req: IncomingMessage) => Promise<TokenClaims>;
/** Handlers by method. */
export type Methods = Partial<Record<string, Handler>>;
/** Handlers by exact path, then by method. */
export type Routes = Record<string, Methods>;

/** A request body as an object (an empty one when it is not an object). */
export function bodyObject(body: unknown): Record<string, unknown> {
  return (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
}

/** The non-empty string `key` of a body, at most `max` characters; HttpError 400 otherwise. */
export function stringField(body: unknown, key: string, max: number): string {
  const v = bodyObject(body)[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new HttpError(400, 'invalid-request', `${key} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

export interface RouterOptions {
  routes: Routes;
  /** Paths under a prefix (`/api/photos/`), tried before the exact paths. */
  prefixes?: Record<string, Methods>;
  log: Logger;
}

export function createRouter(o: RouterOptions): Handler {
  const prefixes = Object.entries(o.prefixes ?? {});
  const find = (path: string): Methods | undefined =>
    prefixes.find(([prefix]) => path.startsWith(prefix))?.[1] ?? o.routes[path];

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const route = find(path);
      if (!route) throw new HttpError(404, 'not-found', 'no such endpoint');
      const handler = route[req.method ?? 'GET'];
      if (!handler) {
        res.setHeader('Allow', Object.keys(route).join(', '));
        throw new HttpError(405, 'method-not-allowed', `use ${Object.keys(route).join(' or ')}`);
      }
      await handler(req, res);
    } catch (error) {
      sendFailure(res, error, path, o.log);
    }
  };
}

function sendFailure(res: ServerResponse, error: unknown, path: string, log: Logger): void {
  const storage = error instanceof HttpError ? null : storageHttpError(error);
  if (storage) {
    // HTTP-3: a full or read-only disk is answered with its reason; the next request succeeds once it is fixed
    log.warn('request failed on storage', { path, code: storage.code, error: errorText(error) });
  }
  const answer = error instanceof HttpError ? error : storage;
  if (!answer) {
    log.error('request failed', { path, error: errorText(error) });
    sendError(res, 500, 'internal', 'internal error');
    return;
  }
  if (answer.retryAfterS !== undefined && !res.headersSent) res.setHeader('Retry-After', String(answer.retryAfterS));
  sendError(res, answer.status, answer.code, answer.message);
}
