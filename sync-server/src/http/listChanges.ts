/**
 * HIST-1: `GET /api/groups/changes`: a server-sent event stream telling an open app that its group list changed
 * (`event: changed`), so it asks for the delta then instead of polling. A stream is told only of groups listed under
 * its person's keys (the membership registry of the group, as the list index keys it), at most once per
 * `throttleMs`; a comment every `keepAliveMs` keeps proxies from closing it. On several nodes the keys of each
 * change are published to the other nodes (`publish`, over the cluster's Redis channel), whose streams under those
 * keys are told too (`pokeKeys`); a lost notice is covered by the app's slow poll.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from '@muster/core';
import { parseDocName } from '@muster/protocol';
import type { TokenClaims } from '@muster/protocol';
import type { Membership } from '../access/access.ts';
import type { Extension } from '../extension.ts';
import { listKeysOf } from './groupList.ts';

interface Stream {
  keys: ReadonlySet<string> | null;
  poke(): void;
}

/** The list-index keys a group is listed under, from its membership (store.ts listKeyOf, from the registry). */
export function keysOfMembership(m: Membership): Set<string> {
  const keys = new Set<string>();
  if (m.initiator) keys.add(`p:${m.initiator}`);
  if (m.unitId) keys.add(`u:${m.unitId}`);
  for (const p of m.persons) keys.add(`p:${p}`);
  for (const p of m.posts) keys.add(`post:${p}`);
  for (const p of m.addressedPosts) keys.add(`post:${p}`);
  return keys;
}

export interface ListChangesOptions {
  membership: (groupId: string) => Promise<Membership>;
  directory: () => Directory;
  throttleMs?: number;
  keepAliveMs?: number;
  /** HIST-1: tells the other relay nodes the keys of a change stored here (cluster mode). */
  publish?: (keys: readonly string[]) => void;
}

export class ListChanges {
  readonly #o: ListChangesOptions;
  readonly #streams = new Set<Stream>();

  constructor(o: ListChangesOptions) {
    this.#o = o;
  }

  get streams(): number {
    return this.#streams.size;
  }

  /** Observes stored group updates (after the durable commit, so the delta asked for holds them). */
  extension(): Extension {
    return {
      name: 'list-changes',
      phase: 'observe',
      onStoreUpdate: ({ document }) => {
        const ref = parseDocName(document.name);
        if (ref && (this.#streams.size > 0 || this.#o.publish)) void this.changed(ref.id).catch(() => {});
      },
    };
  }

  async changed(groupId: string): Promise<void> {
    const keys = keysOfMembership(await this.#o.membership(groupId));
    this.pokeKeys(keys);
    this.#o.publish?.([...keys]);
  }

  /** Tells the streams listing under any of `keys` that their list changed. */
  pokeKeys(keys: Iterable<string>): void {
    const set = new Set(keys);
    for (const s of this.#streams) {
      if (s.keys === null || [...s.keys].some((k) => set.has(k))) s.poke();
    }
  }

  /** The route's handler, given the API's bearer-token check. */
  handler(
    authenticate: (req: IncomingMessage) => Promise<TokenClaims>,
  ): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    return async (req, res) => {
      const claims = await authenticate(req);
      const keys = listKeysOf(claims, this.#o.directory());
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.write(': listening\n\n');
      const throttleMs = this.#o.throttleMs ?? 1000;
      let last = 0;
      let timer: NodeJS.Timeout | null = null;
      const send = (): void => {
        timer = null;
        last = Date.now();
        res.write('event: changed\ndata: {}\n\n');
      };
      const stream: Stream = {
        keys: keys === null ? null : new Set(keys),
        poke: () => {
          if (timer) return;
          const wait = last + throttleMs - Date.now();
          if (wait <= 0) send();
          else timer = setTimeout(send, wait);
        },
      };
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), this.#o.keepAliveMs ?? 25_000);
      this.#streams.add(stream);
      await new Promise<void>((resolve) => res.on('close', resolve));
      this.#streams.delete(stream);
      clearInterval(keepAlive);
      if (timer) clearTimeout(timer);
    };
  }
}
