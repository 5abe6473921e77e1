/** Small response helpers: JSON bodies and ApiError errors (thrown as `HttpError` from @muster/protocol). */
import type { ServerResponse } from 'node:http';
import type { ApiError } from '@muster/protocol';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, error: string, message: string): void {
  const body: ApiError = { error, message };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // the rest of a body too large, or one that stalled, is not read: the connection ends after the answer
  const close = status === 413 || error === 'incomplete-body';
  sendJson(res, status, body, close ? { Connection: 'close' } : {});
}
