/**
 * ALIVE-1: the relay pings every socket; a socket that answered neither with a pong nor with any message since the
 * last ping is dropped. A device on a slow uplink whose pong waits behind the parts of a large upload keeps its
 * socket as long as its messages arrive; a device that went silent is dropped within two intervals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { startGroup } from '@muster/core';
import { MessageType, groupDocName } from '@muster/protocol';
import { MemoryStore, loadConfig, silentLogger, startServer } from '@muster/sync-server';
import type { RunningServer } from '@muster/sync-server';
import { WebSocket, connectGroup, login, waitFor } from '../helpers/clients.ts';

/** Rounds are run by the test; the relay's own interval stays out of the way. */
const PING_MS = 600_000;

function syncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

describe('relay: socket liveness', () => {
  let running: RunningServer | null = null;
  let dataDir = '';

  afterEach(async () => {
    await running?.close();
    running = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('ALIVE-1: a socket that sends messages but no pongs stays open; once silent it is dropped', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-alive-'));
    const config = loadConfig({
      MUSTER_PORT: '0',
      MUSTER_HOST: '127.0.0.1',
      MUSTER_DATA_DIR: dataDir,
      MUSTER_DEMO: '1',
      MUSTER_PING_MS: String(PING_MS),
    });
    const r = await startServer({ config, log: silentLogger, store: new MemoryStore() });
    running = r;
    const wsUrl = `ws://127.0.0.1:${r.port}/sync`;
    const { token, person } = await login(`http://127.0.0.1:${r.port}`, 'demo015');
    const creator = connectGroup(wsUrl, 'grp-alive', token);
    startGroup(creator.doc, {
      id: 'grp-alive',
      kind: 'task',
      title: '链路测试',
      unitId: person.unitId,
      initiator: { personId: person.id, name: person.name },
      deviceTime: Date.now(),
    });
    await waitFor(() => creator.fullyAcked(), 10_000, 'group created');
    creator.destroy();

    // A device whose pongs never leave (autoPong off): it answers each ping with a sync step 1 instead, which
    // the relay answers (so the test knows the relay read it before the next round).
    const url = `${wsUrl}/${encodeURIComponent(groupDocName('grp-alive'))}?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url, { autoPong: false });
    const doc = new Y.Doc();
    let pings = 0;
    let received = 0;
    let talking = true;
    let closeInfo: string | null = null;
    ws.on('ping', () => {
      pings++;
      if (talking) ws.send(syncStep1(doc));
    });
    ws.on('message', () => received++);
    ws.on('close', (code, reason) => (closeInfo = `${code} ${reason.toString()}`));
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor(() => received > 0, 10_000, 'the first sync');

    // Rounds of the relay's liveness check, each after the relay answered the message sent for the last ping.
    for (let round = 1; round <= 5; round++) {
      const before = received;
      r.relay.pingAll();
      await waitFor(() => (pings >= round && received > before) || closeInfo, 10_000, `answer to ping ${round}`);
      expect(closeInfo ?? 'open').toBe('open');
    }

    // Silent from now on: the next round pings, the one after drops it.
    talking = false;
    r.relay.pingAll();
    await waitFor(() => pings >= 6 || closeInfo, 10_000, 'the sixth ping');
    expect(closeInfo ?? 'open').toBe('open');
    r.relay.pingAll();
    await waitFor(() => closeInfo, 10_000, 'the silent socket dropped');
    expect(closeInfo).toMatch(/^1006/);
  }, 60_000);
});
