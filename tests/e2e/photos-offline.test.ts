/**
 * Photos and location on findings in a real browser: officer A, offline, adds a finding with a camera
 * photo (a generated PNG through the file input) and a location; the photo is downscaled to JPEG, hashed and kept
 * in IndexedDB, still shown after an offline reload; online again, the upload outbox sends it (progress reaches
 * done); officer B at the management desk sees the thumbnail (fetched on demand) and the coordinates.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { makePng } from '../helpers/png.ts';
import { MGMT_POST, byTestId, loginAs, startGroup, waitForCachedDirectory } from './support.ts';
import { browserSuite } from './suite.ts';

const POSITION = { latitude: 30.52864, longitude: 114.30563, accuracy: 12 };

describe.skipIf(!browserAvailable())('browser: photos and location on findings', () => {
  const suite = browserSuite();

  it('PHOTO-1 PHOTO-2 LOC-1: a photo and a location added offline survive a reload, upload when online (progress done) and show on another device', async () => {
    const base = suite.server.url;
    const { context: ctxA, page: a, errors: errorsA } = await suite.open({ viewport: { width: 800, height: 1280 } });
    await ctxA.grantPermissions(['geolocation'], { origin: base });
    await ctxA.setGeolocation(POSITION);
    await loginAs(a, base, 'demo015');
    await waitForServiceWorker(a);
    await waitForCachedDirectory(a, MGMT_POST);

    await ctxA.setOffline(true);
    await byTestId(a, 'connection', { 'data-state': 'offline' }).waitFor();
    const groupId = await startGroup(a, { kind: 'incident', title: '现场照片', incidentNumber: 'J2026-0500' });
    await a.getByTestId('invite-post').selectOption(MGMT_POST);
    await a.getByTestId('invite-submit').click();

    // A 2400×1800 camera picture: downscaled on the device to 1600×1200 JPEG.
    await a.getByTestId('finding-photo-input').setInputFiles({
      name: 'scene.png',
      mimeType: 'image/png',
      buffer: makePng(2400, 1800, { gray: 0x60 }),
    });
    const preview = a.getByTestId('finding-photo-preview');
    await preview.waitFor();
    const hash = await preview.getAttribute('data-hash');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await a.getByTestId('finding-location').check();
    await a.getByTestId('finding-location-value').waitFor();
    await a.getByTestId('finding-text').fill('现场门口监控照片');
    await a.getByTestId('finding-add').click();

    const thumb = byTestId(a, 'timeline-photo', { 'data-hash': hash! });
    await thumb.waitFor();
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
      .toEqual([1600, 1200]);
    await expect.poll(() => a.getByTestId('finding-location-shown').textContent()).toContain('±12');
    expect(await a.getByTestId('finding-location-shown').textContent()).toContain('30.52864');
    await byTestId(a, 'photo-upload-progress', { 'data-state': 'waiting' }).waitFor();

    // Offline reload: the photo comes from IndexedDB.
    await a.reload();
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
    await byTestId(a, 'photo-upload-progress', { 'data-state': 'waiting' }).waitFor();

    // Online: the outbox uploads it; the relay stores it under photos/ab/cdef….
    await ctxA.setOffline(false);
    await byTestId(a, 'photo-upload-progress', { 'data-state': 'done', 'data-uploaded': '1' }).waitFor({
      timeout: 30_000,
    });
    await byTestId(a, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    const stored = path.join(suite.server.dataDir, 'photos', hash!.slice(0, 2), hash!.slice(2));
    expect(fs.existsSync(stored)).toBe(true);
    const bytes = fs.readFileSync(stored);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xff, 0xd8, 0xff]);

    // Officer B sees the thumbnail (fetched on demand) and the coordinates.
    const {
      context: ctxB,
      page: b,
      errors: errorsB,
    } = await suite.open({ viewport: { width: 1440, height: 900 }, policeNo: 'demo005' });
    // B's app shell must be installed before B's offline reload below (a reload may happen here, not there).
    await waitForServiceWorker(b);
    await byTestId(b, 'group-row', { 'data-group-id': groupId }).getByTestId('group-link').click();
    const thumbB = byTestId(b, 'timeline-photo', { 'data-hash': hash! });
    await thumbB.waitFor();
    await expect.poll(() => thumbB.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
    expect(await b.getByTestId('finding-location-shown').textContent()).toContain('±12');

    // Kept on B's device for offline viewing.
    await ctxB.setOffline(true);
    await b.reload();
    await thumbB.waitFor();
    await expect.poll(() => thumbB.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);

    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  }, 90_000);
});
