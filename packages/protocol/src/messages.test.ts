import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, encodeAck, encodeNotice, readAck, readNotice } from './messages.ts';
import { groupDocName, parseDocName } from './tokens.ts';

describe('wire messages', () => {
  it('round-trips an ack after its message type', () => {
    const sv = new Uint8Array([1, 2, 3, 250]);
    const d = decoding.createDecoder(encodeAck({ stateVector: sv, serverTime: 1_764_000_000_123 }));
    expect(decoding.readVarUint(d)).toBe(MessageType.ack);
    expect(readAck(d)).toEqual({ stateVector: sv, serverTime: 1_764_000_000_123 });
  });

  it('round-trips a notice and refuses a malformed one', () => {
    const d = decoding.createDecoder(encodeNotice({ kind: 'refused', code: 'server-owned', message: 'no' }));
    expect(decoding.readVarUint(d)).toBe(MessageType.notice);
    expect(readNotice(d)).toEqual({ kind: 'refused', code: 'server-owned', message: 'no' });
    const e = encoding.createEncoder();
    encoding.writeVarString(e, '{"kind":"party"}');
    expect(() => readNotice(decoding.createDecoder(encoding.toUint8Array(e)))).toThrow(/kind/);
  });

  it('accepts only well-formed group document names', () => {
    expect(parseDocName(groupDocName('abc-123_xyz'))).toEqual({ kind: 'group', id: 'abc-123_xyz' });
    for (const bad of ['group:', 'group:../../etc', 'inbox:abcdef', 'group:a b c d e f', `group:${'x'.repeat(65)}`]) {
      expect(parseDocName(bad)).toBeNull();
    }
  });
});
