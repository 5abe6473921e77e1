/**
 * Node clients of the relay for integration tests: HTTP login, a stock y-websocket WebsocketProvider (with
 * Muster's ack and notice handlers) and a raw websocket for hostile frames.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { relayedStateVector } from '@muster/core';
import { groupDocName, inboxDocName, MessageType, readAck, readNotice } from '@muster/protocol';
import type { Ack, LoginResponse, Notice } from '@muster/protocol';
import { REPO_ROOT } from './startServer.ts';
import { waitUntil } from './wait.ts';

/** ws 8 as the server uses it (the copy hoisted to the root is ws 6, pulled in by @y/websocket-server). */
const requireFromServer = createRequire(path.join(REPO_ROOT, 'sync-server/package.json'));
export const WebSocket = requireFromServer('ws') as typeof import('ws').WebSocket;

export { waitUntil };

/** Polls `cond` until it is truthy or `timeoutMs` passes. */
export function waitFor<T>(cond: () => T | Promise<T>, timeoutMs = 20_000, what?: string): Promise<NonNullable<T>> {
  return waitUntil(cond, { timeoutMs, intervalMs: 10, ...(what ? { what } : {}) });
}

export const DEMO_PASSWORD = 'muster-demo';

export async function login(baseUrl: string, policeNo: string, password = DEMO_PASSWORD): Promise<LoginResponse> {
  const res = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policeNo, password }),
  });
  if (!res.ok) throw new Error(`login ${policeNo}: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

export interface GroupClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  acks: Ack[];
  notices: Notice[];
  closes: { code: number; reason: string }[];
  lastAck(): Ack | null;
  /**
   * True when every struct of the local doc is saved: covered by the last ack (what this client wrote) or received
   * from the relay (committed before it was sent, SYNC-9; acks go to the writer only, PERF-4).
   */
  fullyAcked(): boolean;
  /** True when the last ack covers the item holding `key` in root map `root`. */
  ackCovers(root: string, key: string): boolean;
  destroy(): void;
}

export function connectGroup(wsUrl: string, groupId: string, token: string, doc = new Y.Doc()): GroupClient {
  const provider = new WebsocketProvider(wsUrl, groupDocName(groupId), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime: 500,
  });
  const client: GroupClient = {
    doc,
    provider,
    acks: [],
    notices: [],
    closes: [],
    lastAck: () => client.acks[client.acks.length - 1] ?? null,
    fullyAcked: () => {
      const ack = client.lastAck();
      if (!ack) return false;
      const acked = Y.decodeStateVector(ack.stateVector);
      for (const [c, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
        if (Math.max(acked.get(c) ?? 0, relayed.get(c) ?? 0) < clock) return false;
      }
      return true;
    },
    ackCovers: (root, key) => {
      const ack = client.lastAck();
      const item = doc.getMap(root)._map.get(key);
      if (!ack || !item) return false;
      return item.id.clock < (Y.decodeStateVector(ack.stateVector).get(item.id.client) ?? 0);
    },
    destroy: () => {
      provider.destroy();
    },
  };
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
    client.acks.push(readAck(decoder));
  };
  /** Per client, how far the updates received from the relay reach (as the app counts them, `relayedStateVector`). */
  const relayed = new Map<number, number>();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== provider) return;
    for (const [c, clock] of Y.decodeStateVector(relayedStateVector(update))) {
      if (clock > (relayed.get(c) ?? 0)) relayed.set(c, clock);
    }
  });
  provider.messageHandlers[MessageType.notice] = (_encoder, decoder) => {
    client.notices.push(readNotice(decoder));
  };
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
  });
  return client;
}

/** A person's inbox document (`inbox:<personId>`) over a stock provider; acknowledgements are ignored, notices kept. */
export interface InboxClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  notices: Notice[];
  destroy(): void;
}

export function connectInbox(wsUrl: string, personId: string, token: string, doc = new Y.Doc()): InboxClient {
  const notices: Notice[] = [];
  const provider = new WebsocketProvider(wsUrl, inboxDocName(personId), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime: 500,
  });
  provider.messageHandlers[MessageType.ack] = () => {};
  provider.messageHandlers[MessageType.notice] = (_e, decoder) => void notices.push(readNotice(decoder));
  return { doc, provider, notices, destroy: () => provider.destroy() };
}

export interface RawSocket {
  ws: import('ws').WebSocket;
  received: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare websocket on a document, for frames the stock client would never send. */
export function rawSocket(wsUrl: string, docName: string, token: string | null): RawSocket {
  const url = `${wsUrl}/${encodeURIComponent(docName)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on('error', () => {});
  return {
    ws,
    received,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
}
