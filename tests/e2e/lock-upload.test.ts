/**
 * LOCK-1 with RELY-1 in a real browser: the app locking in the middle of an upload of offline work (which leaves the
 * group page) does not close the group's socket: about 3 MB of findings kept offline keep flowing to the relay over
 * a throttled link behind the lock screen, on the one socket, and the relay holds every finding before the officer
 * unlocks.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, addFinding as addFindingDoc } from '@muster/core';
import { MessageType } from '@muster/protocol';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { DEMO_PIN, addFinding, byTestId, loginAs, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

const FINDINGS = 150;
const TEXT_CHARS = 20_000;
const ROW_FINDINGS = 25;
const BYTES_PER_S = 256 * 1024;
const UPDATES_TABLE = '$groups.doc_updates';

/** Findings written offline as the app's document store keeps them (y-dexie V2 update rows), base64. */
function offlineRows(actor: { personId: string; name: string }): string[] {
  const doc = new Y.Doc();
  const rows: string[] = [];
  for (let b = 0; b < FINDINGS / ROW_FINDINGS; b++) {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (let i = b * ROW_FINDINGS; i < (b + 1) * ROW_FINDINGS; i++) {
        const head = `锁屏上传 ${String(i).padStart(4, '0')} `;
        addFindingDoc(doc, {
          id: `lu${String(i).padStart(4, '0')}`,
          text: head + 'x'.repeat(TEXT_CHARS - head.length),
          author: actor,
          deviceTime: Date.now(),
        });
      }
    });
    rows.push(Buffer.from(Y.encodeStateAsUpdateV2(doc, before)).toString('base64'));
  }
  return rows;
}

describe.skipIf(!browserAvailable())('browser: locking during an upload (LOCK-1, RELY-1)', () => {
  const suite = browserSuite({}, { onFail: (log) => console.log(log.slice(-5000)) });

  it('LOCK-1 LOCK-5: offline work keeps flowing on its socket while the app is locked mid-upload', async () => {
    const { context: ctx, page, errors } = await suite.open({ viewport: { width: 1280, height: 800 } });
    const who = await login(suite.server.url, 'demo015');
    await loginAs(page, suite.server.url, 'demo015');
    await waitForServiceWorker(page);
    await ctx.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    const groupId = await startGroup(page, { kind: 'task', title: '锁屏上传' });
    await addFinding(page, '现场记录：开始');
    for (const row of offlineRows({ personId: who.person.id, name: who.person.name })) {
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
    await page.reload();
    await expect.poll(() => page.getByTestId('timeline-entry').count(), { timeout: 60_000 }).toBe(FINDINGS + 1);

    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 50,
      downloadThroughput: BYTES_PER_S,
      uploadThroughput: BYTES_PER_S,
    });
    await ctx.setOffline(false);
    // the upload is under way: lock the app (it leaves the group page)
    await page.getByTestId('send-progress').waitFor({ timeout: 60_000 });
    await page.getByTestId('lock-now').click();
    await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();
    expect(await page.getByTestId('group-meta').count()).toBe(0);

    // the app's socket for the group, as the relay saw it open
    const opens = (): string[] =>
      [...suite.server.output().matchAll(new RegExp(`connection opened .*conn=(\\d+) doc=group:${groupId}`, 'g'))].map(
        (m) => m[1]!,
      );
    expect(opens().length).toBe(1);
    const appConn = opens()[0]!;

    // behind the lock the relay comes to hold every finding
    const reader = connectGroup(suite.server.wsUrl, groupId, who.token);
    reader.provider.messageHandlers[MessageType.syncProgress] = () => {};
    try {
      await waitFor(
        () => reader.provider.synced && reader.doc.getMap(Root.entries).size === FINDINGS + 1,
        120_000,
        'every finding on the relay',
      );
    } finally {
      reader.destroy();
    }
    // still locked, and the app's socket for the group was never closed (nor another opened)
    await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();
    expect(suite.server.output()).not.toMatch(new RegExp(`connection closed .*conn=${appConn} `));
    expect(opens().length).toBe(2); // the app's and the reader's

    await page.getByTestId('unlock-pin').fill(DEMO_PIN);
    await page.getByTestId('unlock-submit').click();
    await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 300_000);
});
