import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { TOKEN_PARAM } from '@muster/protocol';
import { RelayConnection } from './relayConnection.ts';
import type { RelayConnectionOptions } from './relayConnection.ts';
import type { SocketStatus } from './syncStatus.ts';

/** A socket that never touches the network: the test opens and closes it as the relay would. */
class FakeSocket {
  static made: FakeSocket[] = [];
  binaryType = '';
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onmessage: unknown = null;
  onerror: unknown = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(): void {}
  close(): void {}
}

/** Records what the base reports through its hooks. */
class Probe extends RelayConnection {
  seen: SocketStatus[] = [];
  closed: number[] = [];
  retry = (_code: number) => false;
  constructor(opts: Partial<RelayConnectionOptions> = {}) {
    super({
      syncUrl: 'ws://relay.invalid/sync',
      docName: 'group:g-000001',
      doc: new Y.Doc(),
      token: 't1',
      WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
      ...opts,
    });
  }
  protected override onStatus(status: SocketStatus): void {
    this.seen.push(status);
  }
  protected override onClosed(code: number): void {
    this.closed.push(code);
  }
  protected override retryClosed(code: number): boolean {
    return this.retry(code);
  }
}

const open: Probe[] = [];
function probe(): Probe {
  const p = new Probe();
  open.push(p);
  return p;
}
const last = (): FakeSocket => FakeSocket.made[FakeSocket.made.length - 1]!;
const tokenOf = (s: FakeSocket): string | null => new URL(s.url).searchParams.get(TOKEN_PARAM);

beforeEach(() => {
  // y-websocket's back-off timers never fire: every attempt below is one the test asks for
  vi.useFakeTimers();
  FakeSocket.made = [];
});

afterEach(() => {
  while (open.length) open.pop()!.destroy();
  vi.useRealTimers();
});

describe('RelayConnection', () => {
  it('opens nothing until connect(), then sends the token; a renewed token goes with the next attempt', () => {
    const c = probe();
    expect(FakeSocket.made).toHaveLength(0);
    expect(c.status).toBe('disconnected');
    c.connect();
    expect(tokenOf(last())).toBe('t1');
    expect(new URL(last().url).pathname).toBe('/sync/group:g-000001');
    c.setToken('t2');
    last().onclose!({ code: 1006, reason: '' });
    c.reconnectNow();
    expect(FakeSocket.made).toHaveLength(2);
    expect(tokenOf(last())).toBe('t2');
  });

  it('SYNC-7: a retry after a failed attempt shows disconnected until the relay answers', () => {
    const c = probe();
    c.connect();
    expect(c.seen).toEqual(['connecting']);
    last().onclose!({ code: 1006, reason: '' });
    expect(c.status).toBe('disconnected');
    c.provider.connect(); // y-websocket's own retry
    expect(c.status).toBe('disconnected');
    last().onopen!();
    expect(c.status).toBe('connected');
    last().onclose!({ code: 1006, reason: '' });
    c.provider.connect();
    // the socket had answered: the next attempt is an ordinary one again
    expect(c.seen.slice(-2)).toEqual(['disconnected', 'connecting']);
  });

  it('SYNC-7: reconnectNow skips the back-off; after a failure its attempt still shows disconnected', () => {
    const c = probe();
    c.connect();
    last().onclose!({ code: 1006, reason: '' });
    c.reconnectNow();
    expect(FakeSocket.made).toHaveLength(2);
    expect(c.status).toBe('disconnected');
    last().onopen!();
    expect(c.status).toBe('connected');
  });

  it('a close for good (4400–4499) reports the code and stays closed until connect()', () => {
    const c = probe();
    c.connect();
    last().onopen!();
    last().onclose!({ code: 4401, reason: 'token expired' });
    expect(c.closed).toEqual([4401]);
    expect(c.status).toBe('closed');
    expect(FakeSocket.made).toHaveLength(1);
    c.connect();
    expect(c.seen.slice(-2)).toEqual(['disconnected', 'connecting']);
    expect(FakeSocket.made).toHaveLength(2);
  });

  it('a close the subclass retries reconnects at once and is not reported', () => {
    const c = probe();
    c.retry = (code) => code === 4413;
    c.connect();
    last().onopen!();
    last().onclose!({ code: 4413, reason: 'too large' });
    expect(c.closed).toEqual([]);
    expect(FakeSocket.made).toHaveLength(2);
    expect(c.status).toBe('connecting');
  });

  it('does nothing once destroyed', () => {
    const c = probe();
    c.destroy();
    c.connect();
    c.reconnectNow();
    expect(FakeSocket.made).toHaveLength(0);
  });
});
