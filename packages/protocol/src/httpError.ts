/**
 * An HTTP refusal as both sides see it: the status, the stable `code` (the `error` field of the `ApiError` body) and
 * a message. The relay throws it and answers with `ApiError`; the web app rebuilds it from the answer.
 */
import type { ApiError } from './api.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds to wait before trying again (the `Retry-After` header), when the server gives one. */
  readonly retryAfterS: number | undefined;
  constructor(status: number, code: string, message: string, retryAfterS?: number) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.retryAfterS = retryAfterS;
  }

  /** The answer's JSON body. */
  body(): ApiError {
    return { error: this.code, message: this.message };
  }

  /** The error an answer carries: its `ApiError` body when it has one, else the status line. */
  static fromAnswer(status: number, statusText: string, body: unknown, retryAfter?: string | null): HttpError {
    const err = (typeof body === 'object' && body !== null ? body : {}) as Partial<ApiError>;
    const wait = retryAfter ? Number(retryAfter) : NaN;
    return new HttpError(
      status,
      typeof err.error === 'string' ? err.error : `http-${status}`,
      typeof err.message === 'string' ? err.message : statusText,
      Number.isFinite(wait) ? wait : undefined,
    );
  }
}
