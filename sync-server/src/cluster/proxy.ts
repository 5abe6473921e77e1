/**
 * SCALE-3: a websocket for a document another node owns is relayed, frame by frame, to that node (server affinity:
 * one node owns a document, the others proxy to it, as in Hocuspocus's affinity proposal). The owner authenticates
 * the connection again (every node shares the token secret) and the proxy passes close codes back. When the owner
 * cannot be reached or goes away mid-stream, the client is closed with 4512 and reconnects through the balancer,
 * to whichever node owns the document by then.
 */
import { WebSocket } from 'ws';
import { CloseCode } from '@muster/protocol';
import type { Logger } from '../log.ts';

/** Header marking a connection already proxied once (an owner never proxies it again). */
export const VIA_HEADER = 'x-muster-via';

/** Close codes a peer may send on the wire (1005, 1006, 1015 are reserved for local use). */
const sendable = (code: number): boolean =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

export interface ProxyStats {
  open: number;
  total: number;
}

export function proxyConnection(
  client: WebSocket,
  target: string,
  o: { nodeId: string; remote: string; log: Logger; stats: ProxyStats },
): WebSocket {
  const upstream = new WebSocket(target, {
    headers: { [VIA_HEADER]: o.nodeId, 'x-forwarded-for': o.remote },
    perMessageDeflate: false,
  });
  o.stats.open++;
  o.stats.total++;
  const queued: { data: Buffer; binary: boolean }[] = [];
  let done = false;
  const finish = (code: number, reason: string): void => {
    if (done) return;
    done = true;
    o.stats.open--;
    if (client.readyState === client.OPEN || client.readyState === client.CONNECTING) client.close(code, reason);
    if (upstream.readyState === upstream.OPEN) upstream.close(1001, 'client left');
    else upstream.terminate();
  };
  client.on('message', (data: Buffer, binary: boolean) => {
    if (upstream.readyState === upstream.OPEN) upstream.send(data, { binary });
    else queued.push({ data, binary });
  });
  upstream.on('open', () => {
    for (const m of queued.splice(0)) upstream.send(m.data, { binary: m.binary });
  });
  upstream.on('message', (data: Buffer, binary: boolean) => {
    if (client.readyState === client.OPEN) client.send(data, { binary });
  });
  upstream.on('close', (code: number, reason: Buffer) => {
    // 1006 (the owner died) and other local codes: reconnect through the balancer to the next owner.
    finish(
      sendable(code) && code !== 1001 ? code : CloseCode.ownerMoved,
      sendable(code) && code !== 1001 ? reason.toString() : 'owner moved',
    );
  });
  upstream.on('error', (error: Error) => {
    o.log.info('owner unreachable; client told to reconnect', {
      target: target.replace(/\?.*$/, ''),
      error: error.message,
    });
    finish(CloseCode.ownerMoved, 'owner unreachable');
  });
  client.on('close', () => finish(1000, ''));
  client.on('error', () => finish(1011, ''));
  return upstream;
}
