import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Connection } from './connection.ts';

/** A socket whose unsent bytes grow with every message and are never read. */
function stalledSocket() {
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    terminated: false,
    send(message: Uint8Array) {
      this.bufferedAmount += message.byteLength;
    },
    terminate() {
      this.terminated = true;
      this.readyState = 3;
    },
    close() {},
  };
  return ws;
}

describe('a socket that does not read', () => {
  it('PERF-2: is dropped once more than its cap waits unsent, and nothing more is queued for it', () => {
    const ws = stalledSocket();
    const principal = { sub: 'demo001', name: 'n', roles: [], unitId: 'u', sid: 's', exp: 0, iat: 0 };
    const conn = new Connection(ws as unknown as WebSocket, principal as never, 'group:g1', 'test', 4096);
    const overflows: number[] = [];
    conn.onOverflow = (buffered) => overflows.push(buffered);
    const message = new Uint8Array(1000);
    for (let i = 0; i < 4; i++) conn.send(message);
    expect(ws.terminated).toBe(false);
    conn.send(message);
    expect(ws.terminated).toBe(true);
    expect(conn.closed).toBe(true);
    expect(overflows).toEqual([5000]);
    conn.send(message);
    expect(ws.bufferedAmount).toBe(5000);
  });
});
