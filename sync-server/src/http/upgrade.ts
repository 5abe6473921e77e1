/**
 * The websocket upgrade of a sync path: the token is checked by the `onAuthenticate` hooks, a document another node
 * owns is proxied there (SCALE-3), and the socket goes to the relay, or is closed with a code the stock client
 * does not retry (4401 no valid token, 4404 unknown document).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { CloseCode, SYNC_PATH, TOKEN_PARAM, parseDocName, parseInboxDocName } from '@muster/protocol';
import type { Cluster } from '../cluster/cluster.ts';
import { VIA_HEADER } from '../cluster/cluster.ts';
import type { Extension } from '../extension.ts';
import { errorText, safePath } from '../log.ts';
import type { Logger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Principal } from '../relay/types.ts';

export interface UpgradeDeps {
  wss: WebSocketServer;
  extensions: readonly Extension[];
  relay: Relay;
  cluster: Cluster | null;
  log: Logger;
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The principal the first `onAuthenticate` hook vouches for, or null. */
async function authenticate(
  extensions: readonly Extension[],
  docName: string,
  token: string | null,
  remote: string,
): Promise<Principal | null> {
  for (const x of extensions) {
    if (!x.onAuthenticate) continue;
    const p = await x.onAuthenticate({ docName, token, remote });
    if (p) return p;
  }
  return null;
}

/** The `upgrade` listener of the HTTP server. */
export function upgradeHandler(deps: UpgradeDeps) {
  const { wss, extensions, relay, cluster, log } = deps;
  return (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const path = safePath(req.url);
    if (!path.startsWith(SYNC_PATH + '/')) {
      log.info('upgrade refused: not a sync path', { path });
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    let docName: string | null;
    try {
      docName = decodeURIComponent(path.slice(SYNC_PATH.length + 1));
    } catch {
      docName = null;
    }
    const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const token = new URLSearchParams(query).get(TOKEN_PARAM);
    const remote = req.socket.remoteAddress ?? 'unknown';
    authenticate(extensions, docName ?? '', token, remote)
      .catch((error: unknown) => {
        log.error('authentication failed', { path, error: errorText(error) });
        return null;
      })
      .then(async (principal) => {
        // SCALE-3: a document another node owns is served there, through this node.
        const owner =
          cluster && principal && docName && !req.headers[VIA_HEADER]
            ? await cluster.ownerElsewhere(docName).catch(() => null)
            : null;
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (owner && cluster && docName) {
            cluster.proxy(ws, docName, owner, req.url ?? path, remote);
            return;
          }
          // Closing with a code (not refusing the upgrade) tells the stock client not to retry.
          if (!principal) {
            log.warn('websocket refused: no valid token', { path, remote, code: CloseCode.unauthorized });
            ws.close(CloseCode.unauthorized, 'unauthorized');
            return;
          }
          if (!docName || (!parseDocName(docName) && !parseInboxDocName(docName))) {
            log.warn('websocket refused: unknown document', { path, remote, code: CloseCode.notFound });
            ws.close(CloseCode.notFound, 'unknown document');
            return;
          }
          relay.handleConnection(ws, principal, docName, remote);
        });
      })
      .catch((error: unknown) => {
        log.error('upgrade failed', { path, error: errorText(error) });
        socket.destroy();
      });
  };
}
