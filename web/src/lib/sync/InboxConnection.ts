/**
 * The person's inbox document (`inbox:<personId>`) on the relay: the server writes items, this device writes read
 * markers only (core `markRead`). The stock y-websocket client on a document persisted in Dexie (y-dexie).
 */
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { MessageType, TOKEN_PARAM, inboxDocName } from '@muster/protocol';
import { Reconnector } from './reconnect.ts';
import type { SocketStatus } from './syncStatus.ts';

export interface InboxConnectionOptions {
  personId: string;
  doc: Y.Doc;
  syncUrl: string;
  token: string;
  onStatus?: (status: SocketStatus) => void;
  /** The relay closed for good (e.g. 4401 expired token, 4404 no inbox documents on this server). */
  onClosed?: (code: number) => void;
}

export class InboxConnection {
  readonly provider: WebsocketProvider;
  private readonly reconnector: Reconnector;

  constructor(opts: InboxConnectionOptions) {
    this.provider = new WebsocketProvider(opts.syncUrl, inboxDocName(opts.personId), opts.doc, {
      connect: false,
      params: { [TOKEN_PARAM]: opts.token },
      disableBc: true,
      maxBackoffTime: 10_000,
    });
    // The relay acknowledges persisted read markers (8) and may send notices (9): read markers are few and
    // idempotent, so the inbox only consumes them (unhandled types would be logged as errors).
    this.provider.messageHandlers[MessageType.ack] = () => {};
    this.provider.messageHandlers[MessageType.notice] = () => {};
    this.reconnector = new Reconnector(this.provider);
    this.provider.on('status', ({ status }) => opts.onStatus?.(status));
    this.provider.on('closed', ({ code }) => {
      opts.onStatus?.('closed');
      opts.onClosed?.(code);
    });
    this.provider.connect();
  }

  setToken(token: string): void {
    this.provider.params = { ...this.provider.params, [TOKEN_PARAM]: token };
  }

  reconnectNow(): void {
    this.reconnector.now(() => this.provider.connect());
  }

  destroy(): void {
    this.provider.destroy();
  }
}
