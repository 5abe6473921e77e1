/**
 * RELY-1 in a real browser: an officer's tablet holds about 20 MB of offline work in one group (its record made in
 * the app offline, plus 1,000 findings of 20,000 characters written into the device's IndexedDB as the app's
 * document store keeps them, i.e. as y-dexie update rows of the group), more than the relay's 4 MiB maximum
 * message. Back online over a link throttled with DevTools network emulation to about 640 KB/s each way and
 * 100 ms latency, the app sends the backlog in acknowledged parts, shows the saved bytes growing, keeps one socket
 * (no 4413, no reconnect) and ends "all saved"; the relay holds every finding.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, addFinding as addFindingDoc } from '@muster/core';
import { MessageType } from '@muster/protocol';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { addFinding, byTestId, numAttr, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

const FINDINGS = 1000;
const TEXT_CHARS = 20_000;
const ROW_FINDINGS = 100;
const BYTES_PER_S = 640 * 1024;
const UPDATES_TABLE = '$groups.doc_updates';

/** The findings another session of the app wrote offline, as y-dexie update rows (V2 updates), base64. */
function offlineRows(actor: { personId: string; name: string }): string[] {
  const doc = new Y.Doc();
  const rows: string[] = [];
  for (let b = 0; b < FINDINGS / ROW_FINDINGS; b++) {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (let i = b * ROW_FINDINGS; i < (b + 1) * ROW_FINDINGS; i++) {
        const head = `离线记录 ${String(i).padStart(4, '0')} `;
        const text = head + 'x'.repeat(TEXT_CHARS - head.length - 8) + i.toString(36).padStart(8, '-');
        addFindingDoc(doc, { id: `fo${String(i).padStart(4, '0')}`, text, author: actor, deviceTime: Date.now() });
      }
    });
    rows.push(Buffer.from(Y.encodeStateAsUpdateV2(doc, before)).toString('base64'));
  }
  return rows;
}

describe.skipIf(!browserAvailable())('browser: 20 MB of offline work over a slow link', () => {
  // The app must not lock (LOCK-2) during the long upload: locking leaves the group page.
  const suite = browserSuite(
    { env: { MUSTER_LOCK_MINUTES: '30' } },
    {
      onFail: (log) =>
        console.log(
          log
            .split('\n')
            .filter((l) => /connection|pong|closing|warn|error/i.test(l))
            .join('\n')
            .slice(-8000),
        ),
    },
  );

  it('RELY-1: a 20 MB offline backlog reaches the relay whole in acknowledged parts, with progress, on one socket', async () => {
    const base = suite.server.url;
    const {
      context: ctx,
      page,
      errors,
    } = await suite.open({ viewport: { width: 1280, height: 800 }, policeNo: 'demo015' });
    await waitForServiceWorker(page);
    await page.getByTestId('new-group').waitFor();

    await ctx.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    const groupId = await startGroup(page, { kind: 'task', title: '离线长班' });
    await addFinding(page, '现场记录：开始');

    // The rest of the shift's work, written into the device store as the app keeps it.
    const who = await login(base, 'demo015');
    const rows = offlineRows({ personId: who.person.id, name: who.person.name });
    const rowBytes = rows.reduce((n, r) => n + Buffer.from(r, 'base64').length, 0);
    for (const row of rows) {
      await page.evaluate(
        async ({ table, k, u }) => {
          const bytes = Uint8Array.from(atob(u), (c) => c.charCodeAt(0));
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open('muster');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          await new Promise<void>((resolve, reject) => {
            const tx = db.transaction(table, 'readwrite');
            tx.objectStore(table).add({ k, u: bytes, f: 1 });
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          });
          db.close();
        },
        { table: UPDATES_TABLE, k: groupId, u: row },
      );
    }
    // Reopened offline, the group holds all of it.
    await page.reload();
    await expect.poll(() => page.getByTestId('timeline-entry').count(), { timeout: 120_000 }).toBe(FINDINGS + 1);
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();

    // Back online over a slow link.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    // The slow link is set up while the context is still offline (DevTools sessions' conditions combine), so
    // going online is one change: a later change of conditions could drop the socket it opened.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 100,
      downloadThroughput: BYTES_PER_S,
      uploadThroughput: BYTES_PER_S,
    });
    const started = Date.now();
    await ctx.setOffline(false);

    // The saved bytes grow: sample them (no sleeping) until half is saved.
    const progress = page.getByTestId('send-progress');
    await progress.waitFor({ timeout: 60_000 });
    const total = await numAttr(progress, 'data-total');
    expect(total).toBeGreaterThan(rowBytes * 0.9);
    const seen: number[] = [await numAttr(progress, 'data-sent')];
    while (seen.at(-1)! <= total / 2) {
      const next = await page.waitForFunction(
        (p) => {
          const el = document.querySelector('[data-testid="send-progress"]');
          if (!el) return { s: Number.MAX_SAFE_INTEGER }; // finished between two samples
          const s = Number(el.getAttribute('data-sent'));
          return s !== p ? { s } : null;
        },
        seen.at(-1)!,
        { timeout: 120_000, polling: 100 },
      );
      seen.push((await next.jsonValue())!.s);
    }
    expect(new Set(seen).size).toBeGreaterThan(2);

    await progress.waitFor({ state: 'detached', timeout: 300_000 });
    await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor({ timeout: 60_000 });
    const elapsed = Date.now() - started;
    // Sockets as the relay saw them (the browser may also try once while still offline, never reaching it).
    const opened = suite.server.output().match(new RegExp(`connection opened .*doc=group:${groupId}`, 'g')) ?? [];
    console.log(
      `offline backlog: ${(total / 1e6).toFixed(1)} MB sent in ${(elapsed / 1000).toFixed(1)} s over ` +
        `${BYTES_PER_S / 1024} KB/s; group connections at the relay: ${opened.length}`,
    );
    // The throttle held (20 MB cannot pass 640 KB/s in under 25 s) and the socket was never closed and reopened.
    expect(elapsed).toBeGreaterThan(25_000);
    expect(opened.length).toBe(1);
    expect(suite.server.output()).not.toMatch(/message too large/);
    await byTestId(page, 'group-closed').waitFor({ state: 'detached' });

    // The relay holds every finding.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const reader = connectGroup(suite.server.wsUrl, groupId, who.token);
    reader.provider.messageHandlers[MessageType.syncProgress] = () => {};
    try {
      await waitFor(() => reader.provider.synced, 120_000, 'reader synced');
      const entries = [...reader.doc.getMap<{ text: string }>(Root.entries).values()];
      expect(entries.length).toBe(FINDINGS + 1);
      const tails = new Set(entries.map((e) => e.text.slice(-8)));
      for (let i = 0; i < FINDINGS; i++) expect(tails.has(i.toString(36).padStart(8, '-'))).toBe(true);
    } finally {
      reader.destroy();
    }
    expect(errors).toEqual([]);
  }, 600_000);
});
