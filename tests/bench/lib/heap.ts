/**
 * The heap of a node process after a full garbage collection, read through its inspector (the process runs with
 * `--inspect=127.0.0.1:0`, e.g. NODE_OPTIONS): RSS also counts freed pages the allocator keeps and garbage not yet
 * collected, so memory per connection or per entry is read as heap after GC (V8's used heap).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/startServer.ts';

/** ws 8 as the server uses it (the copy hoisted to the root is ws 6). */
const WebSocket = createRequire(path.join(REPO_ROOT, 'sync-server/package.json'))(
  'ws',
) as typeof import('ws').WebSocket;

/** The inspector's websocket URL from the process output (`Debugger listening on ws://…`), or null. */
export function inspectorUrl(output: string): string | null {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? null;
}

/** Bytes of V8 heap in use after a full GC; null when the inspector cannot be reached. */
export async function heapAfterGc(url: string | null): Promise<number | null> {
  if (!url) return null;
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let id = 0;
    const call = (method: string): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        const mine = ++id;
        const onMessage = (data: Buffer): void => {
          const msg = JSON.parse(data.toString('utf8')) as {
            id?: number;
            result?: Record<string, unknown>;
            error?: unknown;
          };
          if (msg.id !== mine) return;
          ws.off('message', onMessage);
          if (msg.error) reject(new Error(`${method}: ${JSON.stringify(msg.error)}`));
          else resolve(msg.result ?? {});
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: mine, method }));
      });
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return typeof usage['usedSize'] === 'number' ? usage['usedSize'] : null;
  } catch {
    return null;
  } finally {
    ws.close();
  }
}
