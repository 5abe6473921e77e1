/**
 * SCALE-2/3/4: one relay node among several. PostgreSQL holds the document leases (leases.ts); a websocket for a
 * document another node owns is proxied there (proxy.ts); items for an inbox another node owns are posted to it;
 * Redis pub/sub carries hand-over notices (a lease taken or given up, the directory changed), so proxies to a
 * former owner close at once and other nodes reload the directory. Redis is only a messenger: a lost notice
 * delays, never breaks, anything (leases and fencing live in PostgreSQL).
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { WebSocket } from 'ws';
import { addInboxItems, defineInboxRoots, parseInboxItem } from '@muster/core';
import type { InboxItem } from '@muster/core';
import { CloseCode, inboxDocName, parseInboxDocName } from '@muster/protocol';
import type { ClusterConfig } from '../config.ts';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';
import type { ThrottleState } from '../store/store.ts';
import type { DocumentAccess } from '../workflow/types.ts';
import { LeaseKeeper, OwnedElsewhere } from './leases.ts';
import { proxyConnection } from './proxy.ts';
import type { ProxyStats } from './proxy.ts';

export { VIA_HEADER } from './proxy.ts';

const SIGNATURE_HEADER = 'x-muster-node-signature';
const INBOX_PATH = '/internal/inbox';

type Notice =
  | { kind: 'lease'; node: string; doc: string; held: boolean }
  | { kind: 'directory'; node: string }
  | { kind: 'throttle'; node: string; key: string; state: ThrottleState | null }
  | { kind: 'list'; node: string; keys: string[] };

/** A login-throttle state from a notice, or undefined when it is not one (Redis is trusted, but checked). */
function throttleState(v: unknown): ThrottleState | null | undefined {
  if (v === null) return null;
  const s = v as Partial<ThrottleState> | undefined;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!s || !Array.isArray(s.failures) || !s.failures.every(num) || !num(s.lockedUntil) || !num(s.locks))
    return undefined;
  return { failures: s.failures, lockedUntil: s.lockedUntil, locks: s.locks };
}

export interface ClusterOptions {
  config: ClusterConfig;
  pool: pg.Pool;
  /** Isolates the notices of one deployment (the PostgreSQL schema). */
  channel: string;
  /** The token secret every node shares; signs node-to-node requests. */
  secret: string;
  log: Logger;
}

export class Cluster {
  readonly keeper: LeaseKeeper;
  readonly proxies: ProxyStats = { open: 0, total: 0 };
  readonly #o: ClusterOptions;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #routes = new Map<string, Set<{ ws: WebSocket; node: string }>>();
  #dropped: (docs: string[]) => void = () => {};
  #directoryChanged: () => void = () => {};
  #throttled: (key: string, state: ThrottleState | null) => void = () => {};
  #listChanged: (keys: string[]) => void = () => {};
  #docs: (() => DocumentAccess) | null = null;
  #writeInbox: ((personId: string, items: InboxItem[]) => Promise<unknown>) | null = null;

  constructor(o: ClusterOptions) {
    this.#o = o;
    const redisOptions = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.#pub = new Redis(o.config.redisUrl, redisOptions);
    this.#sub = new Redis(o.config.redisUrl, { ...redisOptions, enableOfflineQueue: true });
    for (const r of [this.#pub, this.#sub]) r.on('error', (e: Error) => o.log.debug('redis', { error: e.message }));
    void this.#sub.subscribe(this.#channel).catch(() => {});
    this.#sub.on('message', (_channel: string, text: string) => this.#onNotice(text));
    this.#sub.on('ready', () => o.log.info('redis connected'));
    this.keeper = new LeaseKeeper({
      pool: o.pool,
      nodeId: o.config.nodeId,
      nodeUrl: o.config.nodeUrl,
      leaseMs: o.config.leaseMs,
      log: o.log,
      lost: (docs) => this.#dropped(docs),
      changed: (doc, held) => this.#publish({ kind: 'lease', node: o.config.nodeId, doc, held }),
    });
  }

  get #channel(): string {
    return `muster:${this.#o.channel}:cluster`;
  }

  get nodeId(): string {
    return this.#o.config.nodeId;
  }

  get redisReady(): boolean {
    return this.#sub.status === 'ready' && this.#pub.status === 'ready';
  }

  /** Connects the node's parts: documents to drop when leases are lost, the directory to reload, documents. */
  attach(parts: {
    drop: (docs: string[]) => void;
    reloadDirectory: () => void;
    docs: () => DocumentAccess;
    /** AUTH-7: a login-throttle key another node changed. */
    throttle?: (key: string, state: ThrottleState | null) => void;
    /** HIST-1: a group stored on another node changed the lists under these keys. */
    listChanged?: (keys: string[]) => void;
    /** SCALE-4 HIST-8: writes items another node delivered into an inbox owned here (leaving out archived ones). */
    writeInbox?: (personId: string, items: InboxItem[]) => Promise<unknown>;
  }): void {
    if (parts.writeInbox) this.#writeInbox = parts.writeInbox;
    this.#dropped = parts.drop;
    this.#directoryChanged = parts.reloadDirectory;
    if (parts.throttle) this.#throttled = parts.throttle;
    if (parts.listChanged) this.#listChanged = parts.listChanged;
    this.#docs = parts.docs;
    this.keeper.start();
  }

  /** Releases a document's lease when it leaves memory. */
  extension(): Extension {
    return {
      name: 'cluster',
      phase: 'route',
      onUnloadDocument: ({ document }) => void this.keeper.release(document.name),
    };
  }

  /** AUTH-7: tells the other nodes a login-throttle key changed (they apply it). */
  throttleChanged(key: string, state: ThrottleState | null): void {
    this.#publish({ kind: 'throttle', node: this.nodeId, key, state });
  }

  /** HIST-1: tells the other nodes a stored group changed the lists under these keys (they tell their streams). */
  listChanged(keys: readonly string[]): void {
    this.#publish({ kind: 'list', node: this.nodeId, keys: [...keys] });
  }

  /** Tells the other nodes the directory changed (they reload it). */
  directoryChanged(): void {
    this.#publish({ kind: 'directory', node: this.nodeId });
  }

  /** The owner's address when another node holds the document's lease; null: served here. */
  async ownerElsewhere(docName: string): Promise<{ node: string; url: string } | null> {
    if (this.keeper.fence(docName)) return null;
    const owner = await this.keeper.ownerOf(docName);
    return owner && owner.node !== this.nodeId ? owner : null;
  }

  /** Relays a client's websocket to the owner of its document. */
  proxy(ws: WebSocket, docName: string, owner: { node: string; url: string }, path: string, remote: string): void {
    const target = owner.url.replace(/^http/, 'ws') + path;
    const upstream = proxyConnection(ws, target, {
      nodeId: this.nodeId,
      remote,
      log: this.#o.log,
      stats: this.proxies,
    });
    const set = this.#routes.get(docName) ?? new Set();
    const route = { ws, node: owner.node };
    set.add(route);
    this.#routes.set(docName, set);
    const forget = (): void => {
      set.delete(route);
      if (set.size === 0 && this.#routes.get(docName) === set) this.#routes.delete(docName);
    };
    ws.once('close', forget);
    upstream.once('close', forget);
  }

  /** Writes inbox items into an inbox another node owns (InboxWriter's remote path). */
  remoteInbox = async (error: unknown, personId: string, items: InboxItem[]): Promise<boolean> => {
    if (!(error instanceof OwnedElsewhere)) return false;
    const body = JSON.stringify({ personId, items });
    const res = await fetch(error.owner.url + INBOX_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: this.#sign(body) },
      body,
      signal: AbortSignal.timeout(5000),
    });
    return res.status === 200;
  };

  /** Node-to-node requests (`/internal/…`); resolves false for other paths. */
  async handleInternal(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (!path.startsWith('/internal/')) return false;
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    if (path !== INBOX_PATH || req.method !== 'POST') return (reply(404, 'not found'), true);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 1 << 20) return (reply(413, 'too large'), true);
      chunks.push(c);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const sig = req.headers[SIGNATURE_HEADER];
    const expected = this.#sign(body);
    if (typeof sig !== 'string' || sig.length !== expected.length) return (reply(403, 'forbidden'), true);
    if (!crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) return (reply(403, 'forbidden'), true);
    let parsed: { personId: string; items: InboxItem[] };
    try {
      parsed = JSON.parse(body) as { personId: string; items: InboxItem[] };
      if (!parseInboxDocName(inboxDocName(parsed.personId)) || !Array.isArray(parsed.items)) throw new Error();
    } catch {
      return (reply(400, 'invalid'), true);
    }
    try {
      const items = parsed.items.flatMap((i) => {
        const item = parseInboxItem(i);
        return item ? [item] : [];
      });
      if (this.#writeInbox) await this.#writeInbox(parsed.personId, items);
      else {
        await this.#docs!().withDocument(inboxDocName(parsed.personId), ({ doc }) => {
          defineInboxRoots(doc);
          addInboxItems(doc, items, SERVER_ORIGIN);
        });
      }
      reply(200, 'ok');
    } catch (error) {
      reply(error instanceof OwnedElsewhere ? 409 : 503, errorText(error));
    }
    return true;
  }

  #sign(body: string): string {
    return crypto.createHmac('sha256', this.#o.secret).update(body).digest('hex');
  }

  #publish(n: Notice): void {
    if (this.#pub.status !== 'ready') return;
    this.#pub.publish(this.#channel, JSON.stringify(n)).catch(() => {});
  }

  #onNotice(text: string): void {
    let n: Notice;
    try {
      n = JSON.parse(text) as Notice;
    } catch {
      return;
    }
    if (n.node === this.nodeId) return;
    if (n.kind === 'directory') return this.#directoryChanged();
    if (n.kind === 'list') {
      if (Array.isArray(n.keys)) this.#listChanged(n.keys.filter((k): k is string => typeof k === 'string'));
      return;
    }
    if (n.kind === 'throttle') {
      const state = throttleState(n.state);
      if (typeof n.key === 'string' && state !== undefined) this.#throttled(n.key, state);
      return;
    }
    // A lease taken or given up elsewhere: connections proxied to a former owner reconnect now.
    for (const r of this.#routes.get(n.doc) ?? []) {
      if (!n.held || r.node !== n.node) r.ws.close(CloseCode.ownerMoved, 'owner moved');
    }
  }

  async close(): Promise<void> {
    await this.keeper.stop();
    this.#sub.disconnect();
    this.#pub.disconnect();
  }
}
