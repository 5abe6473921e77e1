/**
 * The socket to the relay that a group and the inbox share: the stock y-websocket client on one document, the
 * access token as a query parameter (renewed with `setToken`), y-websocket's back-off (10 s at most), "reconnect
 * now" (SYNC-7, reconnect.ts), and the status as shown: a retry after a failed attempt shows 'disconnected', since
 * the relay is unreachable until it answers. Subclasses add their message handlers and react through the hooks.
 */
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { TOKEN_PARAM } from '@muster/protocol';
import { Reconnector } from './reconnect.ts';
import type { SocketStatus } from './syncStatus.ts';

export const MAX_BACKOFF_MS = 10_000;

export interface RelayConnectionOptions {
  /** `ws(s)://host/sync`. */
  syncUrl: string;
  /** The document's name on the relay (`groupDocName`, `inboxDocName`). */
  docName: string;
  doc: Y.Doc;
  token: string;
  WebSocketPolyfill?: typeof WebSocket;
}

export class RelayConnection {
  readonly provider: WebsocketProvider;
  protected destroyed = false;
  private readonly reconnector: Reconnector;
  /** Connection attempts that failed since the last successful one: retries then show as disconnected. */
  private failures = 0;
  private shown: SocketStatus = 'disconnected';

  constructor(opts: RelayConnectionOptions) {
    this.provider = new WebsocketProvider(opts.syncUrl, opts.docName, opts.doc, {
      connect: false,
      params: { [TOKEN_PARAM]: opts.token },
      disableBc: true,
      maxBackoffTime: MAX_BACKOFF_MS,
      ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
    });
    this.reconnector = new Reconnector(this.provider);
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.failures = 0;
      this.show(status === 'connecting' && this.failures > 0 ? 'disconnected' : status, status);
    });
    this.provider.on('connection-close', (event) => {
      this.onSocketClose(event);
      if (this.shown !== 'connected') this.failures++;
      if (this.shown === 'connecting') this.show('disconnected', null);
    });
    this.provider.on('closed', ({ code, reason }) => {
      if (this.retryClosed(code)) {
        this.provider.connect();
        return;
      }
      this.shown = 'closed';
      this.onClosed(code, reason);
    });
  }

  /** The status as shown: 'closed' once the relay closed for good, until `connect()`. */
  get status(): SocketStatus {
    return this.shown;
  }

  connect(): void {
    if (this.destroyed) return;
    if (this.shown === 'closed') this.show('disconnected', null);
    this.provider.connect();
  }

  /** Reconnects at once (the `online` event, sync now, a renewed token), skipping y-websocket's back-off. */
  reconnectNow(): void {
    if (this.destroyed) return;
    if (this.reconnector.now(() => this.connect())) this.failures = 0;
  }

  /** The token for the next connection attempt (the open socket keeps the one it was opened with). */
  setToken(token: string): void {
    this.provider.params = { ...this.provider.params, [TOKEN_PARAM]: token };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.provider.destroy();
  }

  /**
   * The shown status changed. `raw` is y-websocket's own status event, null when the change is Muster's (a failed
   * attempt ends, `connect()` after a close for good).
   */
  protected onStatus(_status: SocketStatus, _raw: SocketStatus | null): void {}

  /** The socket closed (any code); the provider retries with back-off unless the relay closed for good. */
  protected onSocketClose(_event: CloseEvent | null): void {}

  /** The relay closed for good (4400–4499), e.g. 4401 for an expired token; the status is now 'closed'. */
  protected onClosed(_code: number, _reason: string): void {}

  /** True to reconnect at once after a close for good instead (e.g. 4413 with smaller parts left to try). */
  protected retryClosed(_code: number): boolean {
    return false;
  }

  private show(status: SocketStatus, raw: SocketStatus | null): void {
    this.shown = status;
    this.onStatus(status, raw);
  }
}
