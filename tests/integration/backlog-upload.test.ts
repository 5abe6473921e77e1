/**
 * RELY-1 against the real relay: a device holding more offline work than the relay's maximum message sends it in
 * parts that each apply in order, is acknowledged whole, and resumes after a dropped socket from what the relay
 * already has. The control: the stock client sends the same backlog as one message and is closed with 4413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, addFinding, startGroup } from '@muster/core';
import { CloseCode, MessageType } from '@muster/protocol';
import { GroupConnection } from '../../web/src/lib/sync/GroupConnection.ts';
import { WebSocket, connectGroup, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

/** The relay's default maximum message; the backlog (≈ 6 MB) exceeds it but stays below ws's own frame limit. */
const MAX_MESSAGE = 4 * 1024 * 1024;
const FINDINGS = 300;
const TEXT = 20_000;

/** An offline device's group: started in one session (client 1), findings written in two later ones. */
function offlineWork(
  groupId: string,
  actor: { personId: string; name: string },
  unitId: string,
  findings = FINDINGS,
): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 1;
  startGroup(doc, { id: groupId, kind: 'task', title: '离线积压', unitId, initiator: actor, deviceTime: 1 });
  for (const [session, clientID] of [900_000_001, 900_000_002].entries()) {
    const next = new Y.Doc();
    next.clientID = clientID;
    Y.applyUpdate(next, Y.encodeStateAsUpdate(doc));
    for (let i = 0; i < findings / 2; i++) {
      const n = session * (findings / 2) + i;
      const text = `记录 ${n} ` + 'x'.repeat(TEXT - 20) + String(n).padStart(8, '-');
      next.transact(() =>
        addFinding(next, { id: `f${String(n).padStart(4, '0')}`, text, author: actor, deviceTime: n }),
      );
    }
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(next, Y.encodeStateVector(doc)));
  }
  return doc;
}

/** ws, counting the bytes a client sends. */
let sentBytes = 0;
class CountingSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    sentBytes += (data as Uint8Array).byteLength;
    (super.send as (...a: unknown[]) => void)(data, ...rest);
  }
}

describe('RELY-1: a large offline backlog reaches the relay', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { MUSTER_MAX_MESSAGE_BYTES: String(MAX_MESSAGE) } });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function serverFindings(token: string, groupId: string): Promise<string[]> {
    const c = connectGroup(server.wsUrl, groupId, token);
    c.provider.messageHandlers[MessageType.syncProgress] = () => {};
    try {
      await waitFor(() => c.provider.synced, 60_000, 'reader synced');
      return [...c.doc.getMap<{ text: string }>(Root.entries).values()].map((e) => e.text);
    } finally {
      c.destroy();
    }
  }

  it('RELY-1: control: the stock client sends the backlog as one message and is closed with 4413', async () => {
    const who = await login(server.url, 'demo015');
    const actor = { personId: who.person.id, name: who.person.name };
    const doc = offlineWork('grp-backlog-stock', actor, who.person.unitId);
    expect(Y.encodeStateAsUpdate(doc).length).toBeGreaterThan(MAX_MESSAGE);
    const c = connectGroup(server.wsUrl, 'grp-backlog-stock', who.token, doc);
    try {
      await waitFor(() => c.closes.some((x) => x.code === CloseCode.messageTooLarge), 30_000, '4413');
    } finally {
      c.destroy();
    }
  });

  it('RELY-1: the backlog goes in acknowledged parts, resumes after a dropped socket, and arrives whole', async () => {
    const who = await login(server.url, 'demo015');
    const actor = { personId: who.person.id, name: who.person.name };
    const groupId = 'grp-backlog-parts';
    const doc = offlineWork(groupId, actor, who.person.unitId);
    const docBytes = Y.encodeStateAsUpdate(doc).length;
    const progress: { sent: number; total: number }[] = [];
    const closes: number[] = [];
    sentBytes = 0;
    const conn = new GroupConnection({
      id: groupId,
      doc,
      syncUrl: server.wsUrl,
      token: who.token,
      ackedStateVector: null,
      ackedAt: null,
      saveAck: async () => {},
      saveFields: async () => {},
      onClosed: (code) => closes.push(code),
      WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
    });
    let dropped = false;
    conn.subscribe((s) => {
      if (s.sendProgress) progress.push(s.sendProgress);
      // Drop the socket once a third is saved: the next connection resumes from what the relay has.
      if (!dropped && s.sendProgress && s.sendProgress.sent > s.sendProgress.total / 3) {
        dropped = true;
        (conn.provider.ws as unknown as { terminate(): void }).terminate();
      }
    });
    try {
      await waitFor(() => conn.snapshot.pending === 0 && !conn.snapshot.sendProgress, 120_000, 'all acknowledged');
      expect(dropped).toBe(true);
      expect(closes).toEqual([]);
      // progress grew and reached the total in the second session
      const sent = progress.map((p) => p.sent);
      expect(new Set(sent).size).toBeGreaterThan(5);
      expect(progress.at(-1)!.sent).toBe(progress.at(-1)!.total);
      // resumed: far less than twice the document went over the wire
      expect(sentBytes).toBeGreaterThan(docBytes * 0.9);
      expect(sentBytes).toBeLessThan(docBytes * 1.6);
    } finally {
      conn.destroy();
    }
    const texts = await serverFindings(who.token, groupId);
    expect(texts.length).toBe(FINDINGS);
    expect(new Set(texts.map((t) => t.slice(-8)))).toEqual(
      new Set(Array.from({ length: FINDINGS }, (_, n) => String(n).padStart(8, '-'))),
    );
  }, 180_000);
});

describe('RELY-1: a relay whose limit is below the device part size', () => {
  for (const [label, max] of [
    ['4413', 160 * 1024],
    ['1009 (the socket frame limit)', 100 * 1024],
  ] as const) {
    it(`RELY-1: closed with ${label}, the device sends again in smaller parts and everything arrives`, async () => {
      const server = await startServer({ env: { MUSTER_MAX_MESSAGE_BYTES: String(max) } });
      try {
        const who = await login(server.url, 'demo015');
        const groupId = `grp-backlog-small-${max}`;
        const doc = offlineWork(groupId, { personId: who.person.id, name: who.person.name }, who.person.unitId, 40);
        const conn = new GroupConnection({
          id: groupId,
          doc,
          syncUrl: server.wsUrl,
          token: who.token,
          ackedStateVector: null,
          ackedAt: null,
          saveAck: async () => {},
          saveFields: async () => {},
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        });
        try {
          await waitFor(() => conn.snapshot.pending === 0 && !conn.snapshot.sendProgress, 60_000, 'all acknowledged');
          expect(conn.snapshot.tooLarge).toBe(true);
          expect(conn.snapshot.closeCode).toBeNull();
        } finally {
          conn.destroy();
        }
      } finally {
        await server.stop();
      }
    }, 90_000);
  }
});
