/**
 * Request bodies. `bodyChunks` yields a body's chunks and answers 400 `incomplete-body` when the client stops
 * sending before the end (a body shorter than its Content-Length: no byte for the idle timeout, or the request
 * aborted); `readJsonBody` reads a JSON body with a size cap: 415 for other types, 413 when too large, 400 when not
 * JSON or incomplete.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from '@muster/protocol';

/** HTTP-2: a body that sends nothing for this long is answered 400 (MUSTER_HTTP_BODY_IDLE_MS). */
let bodyIdleMs = 10_000;

export function setBodyIdleTimeout(ms: number): void {
  bodyIdleMs = ms;
}

const incomplete = (): HttpError =>
  new HttpError(400, 'incomplete-body', 'the request body ended or stalled before its Content-Length was reached');

/** The body's chunks; throws HttpError 400 `incomplete-body` when it stalls or ends short. */
export async function* bodyChunks(req: IncomingMessage): AsyncGenerator<Buffer> {
  const it = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (;;) {
    const next = it.next();
    next.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(incomplete()), bodyIdleMs);
    });
    let r: IteratorResult<Buffer>;
    try {
      r = await Promise.race([next, idle]);
    } catch (error) {
      throw error instanceof HttpError ? error : incomplete();
    } finally {
      clearTimeout(timer);
    }
    if (r.done) break;
    yield r.value;
  }
  if (!req.complete) throw incomplete();
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'send a JSON body (Content-Type: application/json)');
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, 'body-too-large', `the body may be at most ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyChunks(req)) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, 'body-too-large', `the body may be at most ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid-json', 'the body is not valid JSON');
  }
}
