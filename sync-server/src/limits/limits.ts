/**
 * LIMIT-3, LIMIT-4: per-connection message and byte rates (token buckets with a two-second burst), and open
 * connections per person. One websocket carries one document, so documents open per connection is 1 by
 * construction and documents open per person is bounded by connections per person. A connection over a limit is
 * closed with 4529 (rate limited; the stock client retries later with backoff); others carry on.
 */
import { CloseCode } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import { ConnectionRefused } from '../extension.ts';
import type { Extension } from '../extension.ts';
import type { ConnectionHandle } from '../relay/types.ts';

export interface Limits {
  messagesPerSecond: number;
  bytesPerSecond: number;
  connectionsPerPerson: number;
}

export const LIMIT_DEFAULTS: Limits = {
  messagesPerSecond: 1000,
  bytesPerSecond: 16 * 1024 * 1024,
  connectionsPerPerson: 32,
};

/** Burst allowance: a bucket holds this many seconds of the rate. */
const BURST_SECONDS = 2;

class Bucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly rate: number,
    now: number,
  ) {
    this.#tokens = rate * BURST_SECONDS;
    this.#at = now;
  }
  take(n: number, now: number): boolean {
    this.#tokens = Math.min(this.rate * BURST_SECONDS, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    this.#tokens -= n;
    return this.#tokens >= 0;
  }
}

export function limitsExtension(limits: Limits, audit: Auditor, now = () => performance.now()): Extension {
  const buckets = new WeakMap<ConnectionHandle, { msgs: Bucket; bytes: Bucket }>();
  const perPerson = new Map<string, Set<ConnectionHandle>>();

  const over = (connection: ConnectionHandle, what: string, limit: number): { code: number; reason: string } => {
    audit.note({
      action: AuditAction.limit,
      actor: connection.principal.sub,
      docName: connection.docName,
      detail: { limit: what, max: limit },
    });
    return { code: CloseCode.rateLimited, reason: `rate limited: more than ${limit} ${what} per second` };
  };

  return {
    name: 'limits',
    phase: 'admit',
    onMessage({ connection, bytes }) {
      const t = now();
      let b = buckets.get(connection);
      if (!b) {
        b = { msgs: new Bucket(limits.messagesPerSecond, t), bytes: new Bucket(limits.bytesPerSecond, t) };
        buckets.set(connection, b);
      }
      if (!b.msgs.take(1, t)) return over(connection, 'messages', limits.messagesPerSecond);
      if (!b.bytes.take(bytes, t)) return over(connection, 'bytes', limits.bytesPerSecond);
      return null;
    },
    onConnect({ connection }) {
      const who = connection.principal.sub;
      let set = perPerson.get(who);
      if (!set) perPerson.set(who, (set = new Set()));
      if (set.size >= limits.connectionsPerPerson) {
        audit.note({
          action: AuditAction.limit,
          actor: who,
          docName: connection.docName,
          detail: { limit: 'connections', max: limits.connectionsPerPerson },
        });
        throw new ConnectionRefused(
          CloseCode.rateLimited,
          `too many connections: at most ${limits.connectionsPerPerson} per person`,
        );
      }
      set.add(connection);
    },
    onDisconnect({ connection }) {
      const set = perPerson.get(connection.principal.sub);
      if (!set) return;
      set.delete(connection);
      if (set.size === 0) perPerson.delete(connection.principal.sub);
    },
  };
}
