import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { FRESH_ATTEMPT_MS, Reconnector } from './reconnect.ts';

/** The parts of a y-websocket provider the reconnector reads, with its status events fired by the test. */
function fakeProvider() {
  const listeners: ((e: { status: string }) => void)[] = [];
  const p = {
    wsconnected: false,
    wsconnecting: false,
    ws: null as object | null,
    wsUnsuccessfulReconnects: 3,
    disconnects: 0,
    on: (_: string, fn: (e: { status: string }) => void) => listeners.push(fn),
    disconnect() {
      this.disconnects++;
    },
    emit(status: string) {
      this.wsconnecting = status === 'connecting';
      this.wsconnected = status === 'connected';
      this.ws = status === 'disconnected' ? null : {};
      for (const fn of listeners) fn({ status });
    },
  };
  return p;
}

describe('Reconnector', () => {
  it('SYNC-7: keeps a young attempt, replaces an old one, leaves a connected socket alone', () => {
    let t = 1_000;
    const p = fakeProvider();
    const r = new Reconnector(p as unknown as WebsocketProvider, () => t);
    let connects = 0;
    const connect = () => connects++;

    p.emit('connecting');
    t += FRESH_ATTEMPT_MS - 1;
    expect(r.now(connect)).toBe(false);
    expect([connects, p.disconnects]).toEqual([0, 0]);

    t += 2;
    expect(r.now(connect)).toBe(true);
    expect([connects, p.disconnects, p.wsUnsuccessfulReconnects]).toEqual([1, 1, 0]);

    p.emit('connected');
    expect(r.now(connect)).toBe(false);

    p.emit('disconnected');
    expect(r.now(connect)).toBe(true);
    expect([connects, p.disconnects]).toEqual([2, 1]);
  });
});
