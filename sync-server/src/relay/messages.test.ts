import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { encodeAck } from '@muster/protocol';
import { ProtocolError, dispatchMessage } from './messages.ts';
import type { MessageHandlers } from './messages.ts';

function recorder(): { calls: string[]; h: MessageHandlers } {
  const calls: string[] = [];
  return {
    calls,
    h: {
      syncStep1: (sv) => calls.push(`step1:${sv.length}`),
      update: (u, kind) => calls.push(`${kind}:${u.length}`),
      awareness: (u) => calls.push(`awareness:${u.length}`),
      queryAwareness: () => calls.push('query'),
    },
  };
}

const frame = (...parts: (number | Uint8Array)[]): Uint8Array => {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
};

describe('dispatchMessage', () => {
  it('routes sync step 1, step 2, update, awareness and query awareness', () => {
    const { calls, h } = recorder();
    dispatchMessage(frame(0, 0, new Uint8Array(1)), h);
    dispatchMessage(frame(0, 1, new Uint8Array(2)), h);
    dispatchMessage(frame(0, 2, new Uint8Array(3)), h);
    dispatchMessage(frame(1, new Uint8Array(4)), h);
    dispatchMessage(frame(3), h);
    expect(calls).toEqual(['step1:1', 'step2:2', 'update:3', 'awareness:4', 'query']);
  });

  it.each([
    ['empty frame', new Uint8Array(0)],
    ['truncated varint', new Uint8Array([0x80])],
    ['unknown type', frame(77)],
    ['auth from a client', frame(2, 0)],
    ['ack from a client', encodeAck({ stateVector: new Uint8Array(1), serverTime: 1 })],
    ['unknown sync step', frame(0, 9, new Uint8Array(1))],
    ['truncated sync payload', new Uint8Array([0, 2, 10, 1, 2])],
    ['missing awareness payload', frame(1)],
  ])('refuses %s', (_name, data) => {
    const { calls, h } = recorder();
    expect(() => dispatchMessage(data, h)).toThrow(ProtocolError);
    expect(calls).toEqual([]);
  });
});
