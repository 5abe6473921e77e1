/**
 * LATE-1 in a real browser: a tampered device cannot keep writing into a closed group by claiming a large prior
 * state. The criminal investigation desk's real app in Chromium opens a group the initiator has already closed; a
 * man in the middle of its socket (Playwright's WebSocket routing, the place a modified client would sit) rewrites
 * the app's sync step 1 into one that claims a huge state for a made-up client id, then, once the app shows the
 * group closed, injects three findings of that client on the same socket. The relay cuts each (code `closed`); no
 * browser shows them; the initiator's device stays "all saved" with nothing refused.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Root, readClosure } from '@muster/core';
import { MessageType } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import { cidPost, loginAll, openIncidentGroup, rawFinding, closeGroup } from '../helpers/closedGroup.ts';
import { byTestId, loginAs } from './support.ts';
import { browserSuite } from './suite.ts';

const G = 'grp-closed-forged-browser';
const FORGED_CLIENT = 777_003;
const FORGED = ['f-forged-0', 'f-forged-1', 'f-forged-2'];

const frame = (write: (e: encoding.Encoder) => void): Buffer => {
  const e = encoding.createEncoder();
  write(e);
  return Buffer.from(encoding.toUint8Array(e));
};

/** The app's sync step 1 with a forged claim added: the made-up client "has" a billion items already. */
function forgeStep1(message: Buffer): Buffer | null {
  const d = decoding.createDecoder(new Uint8Array(message));
  if (decoding.readVarUint(d) !== MessageType.sync) return null;
  if (decoding.readVarUint(d) !== syncProtocol.messageYjsSyncStep1) return null;
  const claimed = Y.decodeStateVector(decoding.readVarUint8Array(d));
  claimed.set(FORGED_CLIENT, 1_000_000_000);
  const sv = frame((e) => {
    encoding.writeVarUint(e, claimed.size);
    for (const [client, clock] of claimed) {
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, clock);
    }
  });
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, sv);
  });
}

/** The sync sub-message type of a frame, or null for other frames. */
const syncStep = (message: Buffer): number | null => {
  const d = decoding.createDecoder(new Uint8Array(message));
  return decoding.readVarUint(d) === MessageType.sync ? decoding.readVarUint(d) : null;
};

describe.skipIf(!browserAvailable())('browser: a forged sync step 1 on a closed group', () => {
  const suite = browserSuite({ manualClock: true });

  it('LATE-1: a device claiming a huge prior state cannot write into the closed group; honest devices lose nothing', async () => {
    const srv = suite.server;
    const [front, cid] = await loginAll(srv.url, ['demo016', 'demo010']);
    const initiator = connectGroup(srv.wsUrl, G, front.token);
    try {
      await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });
      const closeAt = await srv.moveClock({ advanceMs: 0 });
      await closeGroup(initiator, front, closeAt);

      // The initiator's own browser has the closed group open.
      const honest = await suite.open({ policeNo: 'demo016' });
      await honest.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await honest.page.getByTestId('group-closed').waitFor();

      // The desk's app, its group socket routed through the tamperer.
      const tampered = await suite.open();
      // Three findings of the made-up client, made up front, injected on the device's own socket once it has received
      // the relay's state (the closure with it) and answered the relay's sync requests; a socket the app replaces
      // before that (it reconnects once after opening a group) gets no injection, its successor does.
      const forger = new Y.Doc();
      forger.clientID = FORGED_CLIENT;
      const injected: Buffer[] = [];
      forger.on('update', (u: Uint8Array) =>
        injected.push(frame((e) => (encoding.writeVarUint(e, MessageType.sync), syncProtocol.writeUpdate(e, u)))),
      );
      for (const id of FORGED) forger.getMap(Root.entries).set(id, rawFinding(id, cid, 1));

      let forgedStep1 = 0;
      let injections = 0;
      await tampered.context.routeWebSocket(
        (url) => decodeURIComponent(url.pathname).endsWith(`group:${G}`),
        (ws) => {
          const server = ws.connectToServer();
          // LATE-1 judges a write by the relay's sync request sent after the closure was delivered: a write that
          // arrives before the device answers it may be offline work crossing the closure and is kept. The
          // tamperer waits until the device has answered every sync request, that one included, then writes.
          let requests = 0;
          let answers = 0;
          let stateReceived = false;
          let probed = false;
          let done = false;
          const maybeInject = () => {
            if (done || !probed || answers < requests) return;
            done = true;
            injections++;
            for (const b of injected) server.send(b);
          };
          ws.onMessage((m) => {
            const bytes = typeof m === 'string' ? Buffer.from(m) : m;
            const forged = forgeStep1(bytes);
            if (forged) forgedStep1++;
            server.send(forged ?? bytes);
            if (syncStep(bytes) === syncProtocol.messageYjsSyncStep2) answers++;
            maybeInject();
          });
          server.onMessage((m) => {
            const bytes = typeof m === 'string' ? Buffer.from(m) : m;
            const step = syncStep(bytes);
            if (step === syncProtocol.messageYjsSyncStep1) {
              requests++;
              if (stateReceived) probed = true;
            }
            if (step === syncProtocol.messageYjsSyncStep2) stateReceived = true;
            ws.send(bytes);
          });
        },
      );
      // The routing applies to documents loaded after it: log in only now.
      await loginAs(tampered.page, srv.url, 'demo010');
      await tampered.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await tampered.page.getByTestId('group-closed').waitFor();
      // The relay cuts each (its log names every record it refused). The refusal notices go back on the socket too,
      // but the app may replace that socket right after, and a routed socket's last frames are then not reported.
      const refused = (id: string) =>
        srv.output().includes(`code=closed`) && srv.output().includes(`not applied: entries/${id}`);
      await waitFor(() => injections > 0 && FORGED.every(refused), 30_000, 'each forged write cut (closed)');
      // The relay holds none of them: an honest reader that is fully acknowledged lacks every forged id.
      await waitFor(() => initiator.fullyAcked(), 20_000, 'initiator up to date');
      const reader = connectGroup(srv.wsUrl, G, front.token);
      try {
        await waitFor(() => reader.provider.synced && readClosure(reader.doc) !== null, 20_000, 'fresh reader synced');
        for (const id of FORGED) expect(reader.doc.getMap(Root.entries).has(id)).toBe(false);
      } finally {
        reader.destroy();
      }

      expect(forgedStep1).toBeGreaterThan(0);

      // The initiator's browser shows none of them and stays all saved with nothing refused. The tampered app shows
      // none either, and nothing of them as pending (its badge may report the relay's refusals on its socket).
      await byTestId(honest.page, 'sync-state', {
        'data-state': 'saved',
        'data-pending': '0',
        'data-refused': '0',
      }).waitFor();
      await byTestId(tampered.page, 'sync-state', { 'data-pending': '0' }).waitFor();
      for (const o of [honest, tampered]) {
        const texts = await o.page.getByTestId('timeline-entry').allTextContents();
        for (const id of FORGED) expect(texts.join('\n')).not.toContain(id);
        expect(o.errors).toEqual([]);
      }
      await tampered.context.close();
      await honest.context.close();
    } finally {
      initiator.destroy();
    }
  }, 120_000);
});
