/**
 * HTTP-3: storage failures as answers. A full disk (ENOSPC, EDQUOT, SQLITE_FULL) or a read-only one (EROFS,
 * SQLITE_READONLY) is not an internal error: the request is answered with a reason the client can show, and the
 * next request succeeds once space returns (nothing is cached as broken).
 */
import { HttpError } from '@muster/protocol';

/** Seconds a client waits before trying a refused write again. */
const RETRY_AFTER_S = 60;

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const READ_ONLY = new Set(['EROFS', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED']);

/** The error's code, or one of its causes'. */
function codes(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      for (const c of [...FULL, ...READ_ONLY]) if (message.includes(c)) out.push(c);
      if (/database or disk is full/i.test(message)) out.push('SQLITE_FULL');
    }
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

export function isDiskFull(error: unknown): boolean {
  return codes(error).some((c) => FULL.has(c));
}

/**
 * The answer to a storage failure: 507 (storing the body itself, `uploads`) or 503 with `storage-full` /
 * `storage-read-only`; null when the error is something else.
 */
export function storageHttpError(error: unknown, uploads = false): HttpError | null {
  const cs = codes(error);
  if (cs.some((c) => FULL.has(c))) {
    return new HttpError(
      uploads ? 507 : 503,
      'storage-full',
      "the server's disk is full: nothing was saved; try again once an administrator has freed space",
      RETRY_AFTER_S,
    );
  }
  if (cs.some((c) => READ_ONLY.has(c))) {
    return new HttpError(
      503,
      'storage-read-only',
      "the server's data folder is read-only: nothing was saved",
      RETRY_AFTER_S,
    );
  }
  return null;
}
