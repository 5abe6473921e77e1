/**
 * LIMIT-3 LIMIT-4: per-connection message and byte rates, and connections per person. A connection over a limit
 * is closed with 4529 and audited (AUDIT-3); the relay and every other client carry on. LIMIT-1 (one message over
 * the maximum size → 4413) and LIMIT-2 (malformed frames → 4400) are covered in bad-input.test.ts.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, addFinding, startGroup, timeline } from '@muster/core';
import { CloseCode, MessageType, groupDocName } from '@muster/protocol';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, rawSocket, waitFor } from '../helpers/clients.ts';
import type { GroupClient, RawSocket } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const MSGS_PER_SEC = 50; // bucket of 100 (2 s burst)
const BYTES_PER_SEC = 4096; // bucket of 8 KiB
const CONNS_PER_PERSON = 3;
const GROUP = 'grp-limits';

/** A valid sync step 1 whose state vector names `entries` unknown clients: about 4 bytes per entry. */
function bulkyStep1(entries: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, 0); // step 1
  const sv = encoding.createEncoder();
  encoding.writeVarUint(sv, entries);
  for (let i = 0; i < entries; i++) {
    encoding.writeVarUint(sv, 1_000_000 + i);
    encoding.writeVarUint(sv, 0);
  }
  encoding.writeVarUint8Array(e, encoding.toUint8Array(sv));
  return encoding.toUint8Array(e);
}

describe('LIMIT-3 LIMIT-4: rate and connection limits', () => {
  let server: TestServer;
  let officer: LoginResponse;
  let honest: GroupClient;
  const sockets: RawSocket[] = [];
  const clients: GroupClient[] = [];
  let n = 0;
  const actor = () => ({ personId: officer.person.id, name: officer.person.name });

  /** A raw member socket admitted to the document (the relay has sent its sync step 1). */
  async function admitted(docName: string, token = officer.token): Promise<RawSocket> {
    const s = rawSocket(server.wsUrl, docName, token);
    sockets.push(s);
    await s.opened;
    const closedFirst = await Promise.race([
      s.closed,
      waitFor(() => s.received.length > 0 || s.ws.readyState !== s.ws.OPEN, 20_000, `${docName} admitted`).then(
        () => null,
      ),
    ]);
    if (closedFirst || s.received.length === 0) {
      const c = closedFirst ?? (await s.closed);
      throw new Error(`${docName} closed with ${c.code} ${c.reason}\n${server.output().slice(-3000)}`);
    }
    return s;
  }

  /** The honest client writes a finding, it is acknowledged and reaches a second client. */
  async function honestWrites(): Promise<string> {
    const id = `ok-${n++}`;
    addFinding(honest.doc, { id, text: 'carrying on', author: actor(), deviceTime: n });
    await waitFor(() => honest.ackCovers(Root.entries, id), 20_000, `ack of ${id}`);
    return id;
  }

  function auditLimits(): { actor: string; limit: string }[] {
    const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
    try {
      return (
        db.prepare("SELECT actor, detail FROM audit WHERE action = 'limit-exceeded'").all() as {
          actor: string;
          detail: string;
        }[]
      ).map((r) => ({ actor: r.actor, limit: (JSON.parse(r.detail) as { limit: string }).limit }));
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    server = await startServer({
      env: {
        MUSTER_LIMIT_MESSAGES_PER_SEC: String(MSGS_PER_SEC),
        MUSTER_LIMIT_BYTES_PER_SEC: String(BYTES_PER_SEC),
        MUSTER_LIMIT_CONNECTIONS_PER_PERSON: String(CONNS_PER_PERSON),
      },
    });
    officer = await login(server.url, 'demo015');
    honest = connectGroup(server.wsUrl, GROUP, officer.token);
    clients.push(honest);
    await waitFor(() => honest.provider.synced, 20_000, 'honest synced');
    startGroup(honest.doc, { id: GROUP, kind: 'task', title: 'T', unitId: 'st-e1', initiator: actor(), deviceTime: 1 });
    await honestWrites();
  });

  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('LIMIT-3: a connection over its message rate is closed with 4529; another client on the same document carries on', async () => {
    const flooder = await admitted(groupDocName(GROUP));
    const queryAwareness = new Uint8Array([MessageType.queryAwareness]);
    for (let i = 0; i < 5 * MSGS_PER_SEC; i++) flooder.ws.send(queryAwareness);
    const during = honestWrites();
    expect(await flooder.closed).toMatchObject({
      code: CloseCode.rateLimited,
      reason: expect.stringMatching(/rate limited: more than 50 messages/),
    });
    const id = await during;
    await honestWrites();
    expect(honest.closes).toEqual([]);
    const reader = connectGroup(server.wsUrl, GROUP, officer.token);
    clients.push(reader);
    await waitFor(() => timeline(reader.doc).some((t) => t.id === id), 20_000, `${id} at a second client`);
    reader.destroy();
    await waitFor(() => auditLimits().some((r) => r.actor === 'demo015' && r.limit === 'messages'), 20_000, 'audited');
    expect(server.output()).toMatch(/limit exceeded; closing .*code=4529/);
  });

  it('LIMIT-3: a connection over its byte rate is closed with 4529; another client carries on', async () => {
    const flooder = await admitted(groupDocName(GROUP));
    const frame = bulkyStep1(400); // ~2 KiB, a valid message each time
    expect(frame.byteLength).toBeGreaterThan(1024);
    for (let i = 0; i < 20; i++) flooder.ws.send(frame);
    expect((await flooder.closed).code).toBe(CloseCode.rateLimited);
    await honestWrites();
    expect(honest.closes).toEqual([]);
    await waitFor(() => auditLimits().some((r) => r.actor === 'demo015' && r.limit === 'bytes'), 20_000, 'audited');
  });

  it('LIMIT-4: a person over the connections cap is refused with 4529; others connect; a freed slot is usable again', async () => {
    // A person of their own, so that nothing else here counts against the cap.
    const capped = await login(server.url, 'demo017');
    const held: RawSocket[] = [];
    for (let i = 0; i < CONNS_PER_PERSON; i++) held.push(await admitted(groupDocName(`grp-limits-${i}`), capped.token));
    const extra = rawSocket(server.wsUrl, groupDocName('grp-limits-extra'), capped.token);
    sockets.push(extra);
    expect(await extra.closed).toMatchObject({
      code: CloseCode.rateLimited,
      reason: expect.stringMatching(/at most 3 per person/),
    });
    // Another person is not affected.
    const other = await login(server.url, 'demo016');
    await admitted(groupDocName('grp-limits-other'), other.token);
    // The honest connection still works.
    await honestWrites();
    // A slot frees when a connection closes.
    held[0]!.ws.close();
    await held[0]!.closed;
    // The relay notices the close on its side a moment later: try until a new connection is admitted.
    await waitFor(
      async () => {
        const s = rawSocket(server.wsUrl, groupDocName('grp-limits-again'), capped.token);
        sockets.push(s);
        await waitFor(() => s.received.length > 0 || s.ws.readyState > s.ws.OPEN, 5_000, 'admitted or closed');
        return s.received.length > 0;
      },
      20_000,
      'a freed slot',
    );
    await waitFor(
      () => auditLimits().some((r) => r.actor === 'demo017' && r.limit === 'connections'),
      20_000,
      'audited',
    );
  });
});
