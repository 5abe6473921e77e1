/**
 * The person's inbox document (`inbox:<personId>`) on the relay: the server writes items, this device writes read
 * markers only (core `markRead`). The stock y-websocket client on a document persisted in Dexie (y-dexie).
 */
import type * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import { INBOX_STALE, MessageType, inboxDocName, readNotice } from '@muster/protocol';
import { RelayConnection } from './relayConnection.ts';
import type { SocketStatus } from './syncStatus.ts';

export interface InboxConnectionOptions {
  personId: string;
  doc: Y.Doc;
  syncUrl: string;
  token: string;
  /** y-websocket's status as it comes (retries show as 'connecting'), and 'closed' after a close for good. */
  onStatus?: (status: SocketStatus) => void;
  /** The relay closed for good (e.g. 4401 expired token, 4404 no inbox documents on this server). */
  onClosed?: (code: number) => void;
  /** HIST-8: the relay archived this inbox since this copy was made (notice `inbox-stale`): start the copy over. */
  onStale?: () => void;
}

export class InboxConnection extends RelayConnection {
  constructor(private readonly opts: InboxConnectionOptions) {
    super({ syncUrl: opts.syncUrl, docName: inboxDocName(opts.personId), doc: opts.doc, token: opts.token });
    // The relay acknowledges persisted read markers (8) and may send notices (9): read markers are few and
    // idempotent, so the inbox only consumes them (unhandled types would be logged as errors), except HIST-8's
    // `inbox-stale`: this copy holds items the relay archived since, and nothing it sends is taken.
    this.provider.messageHandlers[MessageType.ack] = () => {};
    this.provider.messageHandlers[MessageType.notice] = (_enc, dec) => {
      if (readNotice(dec as decoding.Decoder).code === INBOX_STALE) opts.onStale?.();
    };
    this.connect();
  }

  protected override onStatus(_status: SocketStatus, raw: SocketStatus | null): void {
    if (raw !== null) this.opts.onStatus?.(raw);
  }

  protected override onClosed(code: number): void {
    this.opts.onStatus?.('closed');
    this.opts.onClosed?.(code);
  }
}
