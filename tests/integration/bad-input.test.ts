import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { Root, addFinding, startGroup, timeline } from '@muster/core';
import { CloseCode, groupDocName } from '@muster/protocol';
import { connectGroup, login, rawSocket, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const MAX = 64 * 1024;
const GROUP = 'grp-bad-input';

const frame = (...parts: (number | Uint8Array)[]): Uint8Array => {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
};

describe('bad input on the relay', () => {
  let server: TestServer;
  let token: string;
  let honest: GroupClient;
  let n = 0;
  const actor = { personId: 'demo015', name: '王晓明' };

  /** The honest client still syncs: a new finding is acknowledged and reaches a second client. */
  async function stillServing(): Promise<void> {
    const id = `ok-${n++}`;
    addFinding(honest.doc, { id, text: 'still here', author: actor, deviceTime: n });
    await waitFor(() => honest.ackCovers(Root.entries, id), 20_000, `ack of ${id}`);
    const other = connectGroup(server.wsUrl, GROUP, token);
    try {
      await waitFor(() => timeline(other.doc).some((t) => t.id === id), 20_000, `${id} at a second client`);
    } finally {
      other.destroy();
    }
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  }

  async function expectClose(data: Uint8Array | string, code: number): Promise<void> {
    const s = rawSocket(server.wsUrl, groupDocName(GROUP), token);
    await s.opened;
    s.ws.send(data);
    expect((await s.closed).code).toBe(code);
    await stillServing();
  }

  beforeAll(async () => {
    server = await startServer({ env: { MUSTER_MAX_MESSAGE_BYTES: String(MAX) } });
    token = (await login(server.url, 'demo015')).token;
    honest = connectGroup(server.wsUrl, GROUP, token);
    await waitFor(() => honest.provider.synced, 20_000, 'honest client synced');
    startGroup(honest.doc, { id: GROUP, kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
  });

  afterAll(async () => {
    honest.destroy();
    await server.stop();
  });

  it('LIMIT-1: a message over the maximum size closes with 4413 and a log line', async () => {
    const big = new Uint8Array(MAX + 100);
    big[0] = 0; // a sync message, so only its size is wrong
    await expectClose(big, CloseCode.messageTooLarge);
    expect(server.output()).toMatch(/message too large; closing .*bytes=65636/);
  });

  it('LIMIT-2: a truncated varint closes with 4400', async () => {
    await expectClose(new Uint8Array([0x80]), CloseCode.malformed);
    expect(server.output()).toMatch(/malformed message; closing .*code=4400/);
  });

  it('LIMIT-2: an unknown message type closes with 4400', async () => {
    await expectClose(frame(77, 1, 2, 3), CloseCode.malformed);
    await expectClose(frame(8, new Uint8Array([1]), 5), CloseCode.malformed);
  });

  it('LIMIT-2: a truncated sync payload and a text frame close with 4400', async () => {
    await expectClose(new Uint8Array([0, 2, 50, 1, 2, 3]), CloseCode.malformed);
    await expectClose('hello', CloseCode.malformed);
  });

  it('LIMIT-2: an invalid Yjs update closes with 4400 and leaves the document intact', async () => {
    const before = timeline(honest.doc).length;
    await expectClose(frame(0, 2, new Uint8Array([0xff, 0xff, 0xff, 0x7f, 1, 2, 3])), CloseCode.malformed);
    await expectClose(frame(0, 1, new Uint8Array([1, 200, 1, 0, 9, 9])), CloseCode.malformed);
    await expectClose(frame(1, new Uint8Array([1, 2, 3])), CloseCode.malformed);
    expect(timeline(honest.doc).length).toBeGreaterThanOrEqual(before);
    expect(server.output()).toMatch(/malformed message; closing .*reason="invalid update"/);
  });

  it('refuses a websocket without a valid token (4401) or with an unknown document (4404)', async () => {
    const none = rawSocket(server.wsUrl, groupDocName(GROUP), null);
    expect((await none.closed).code).toBe(CloseCode.unauthorized);
    const forged = rawSocket(server.wsUrl, groupDocName(GROUP), token.slice(0, -4) + 'AAAA');
    expect((await forged.closed).code).toBe(CloseCode.unauthorized);
    const unknown = rawSocket(server.wsUrl, 'nothing:here', token);
    expect((await unknown.closed).code).toBe(CloseCode.notFound);
    // The token never reaches the log.
    expect(server.output()).not.toContain(token.split('.')[2]!);
    expect(server.output()).toMatch(/websocket refused: no valid token path=\/sync\/group%3Agrp-bad-input /);
    await stillServing();
  });
});
