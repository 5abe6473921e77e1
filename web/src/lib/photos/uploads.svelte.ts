/**
 * PHOTO-1 on the device: photo bytes live in Dexie (`photos`, by group and SHA-256) from the moment a finding is
 * made, offline too. The upload outbox sends rows with `uploaded = 0` when online: `HEAD` first (already there:
 * done), else `PUT /api/photos/<sha256>?group=<id>` through XMLHttpRequest for upload progress. The name is the
 * content, so an interrupted upload simply restarts and the relay never holds a duplicate.
 * Photos of other devices are fetched on demand and kept for offline viewing.
 */
import type { PhotoRef } from '@muster/core';
import { db } from '../db/db.ts';
import type { PhotoRow } from '../db/schema.ts';
import type { Network } from '../sync/network.ts';

export type UploadState = 'waiting' | 'uploading' | 'done' | 'error';

export interface GroupUploads {
  state: UploadState;
  /** Photos of this group stored on the device, and how many of them the relay holds. */
  total: number;
  uploaded: number;
  /** Bytes the relay holds or received so far, of all photos of the group on this device. */
  sentBytes: number;
  totalBytes: number;
  error: string | null;
}

export interface PhotoUploadDeps {
  token: () => string | null;
  /** Renews the access token after a 401 (resolves when done). */
  renew: () => Promise<void>;
  /** The browser network state: uploads wait offline and start again when it comes back. */
  network: Network;
}

const RETRY_MS = 10_000;

export function photoUrl(groupId: string, hash: string): string {
  return `/api/photos/${hash}?group=${encodeURIComponent(groupId)}`;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function put(url: string, token: string, blob: Blob, onProgress: (sent: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', blob.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new TypeError('aborted'));
    xhr.timeout = 120_000;
    xhr.ontimeout = () => reject(new TypeError('timeout'));
    xhr.send(blob);
  });
}

export class PhotoUploads {
  groups = $state<Record<string, GroupUploads>>({});
  private running: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failed = new Set<string>();

  constructor(private readonly deps: PhotoUploadDeps) {
    deps.network.whenOnline(() => this.kick());
  }

  /** Keeps the photos of a new finding on the device (before the finding that names them is written). */
  async keep(groupId: string, photos: { ref: PhotoRef; blob: Blob }[]): Promise<void> {
    const now = Date.now();
    await db.photos.bulkPut(
      photos.map((p): PhotoRow => ({
        groupId,
        hash: p.ref.hash,
        mime: p.ref.mime,
        size: p.blob.size,
        blob: p.blob,
        uploaded: 0,
        savedAt: now,
      })),
    );
    await this.refresh(groupId);
    this.kick();
  }

  /** The photo's bytes: from the device, else from the relay (then kept on the device); null when unavailable. */
  async blobFor(groupId: string, ref: PhotoRef): Promise<Blob | null> {
    const row = (await db.photos.get([groupId, ref.hash])) ?? (await db.photos.where('hash').equals(ref.hash).first());
    if (row) return row.blob;
    const token = this.deps.token();
    if (!token || !this.deps.network.online) return null;
    try {
      let res = await fetch(photoUrl(groupId, ref.hash), { headers: { Authorization: `Bearer ${token}` } });
      if (res.status === 401) {
        await this.deps.renew();
        const again = this.deps.token();
        if (!again) return null;
        res = await fetch(photoUrl(groupId, ref.hash), { headers: { Authorization: `Bearer ${again}` } });
      }
      if (!res.ok) return null;
      const blob = await res.blob();
      await db.photos
        // savedAt 0: a copy from the relay, not a photo made here (its upload progress is not this device's, UX-15)
        .put({ groupId, hash: ref.hash, mime: blob.type, size: blob.size, blob, uploaded: 1, savedAt: 0 })
        .catch(() => {});
      return blob;
    } catch {
      return null;
    }
  }

  /** Recomputes a group's progress from the device database. */
  async refresh(groupId: string, current?: { hash: string; sent: number }): Promise<void> {
    const rows = await db.photos.where('[groupId+hash]').between([groupId, ''], [groupId, '\uffff']).toArray();
    const mine = rows.filter((r) => r.savedAt > 0);
    const uploaded = mine.filter((r) => r.uploaded === 1);
    let sent = uploaded.reduce((n, r) => n + r.size, 0);
    if (current) sent += Math.min(current.sent, mine.find((r) => r.hash === current.hash)?.size ?? 0);
    const failed = mine.some((r) => r.uploaded === 0 && this.failed.has(`${groupId}/${r.hash}`));
    const state: UploadState =
      uploaded.length === mine.length ? 'done' : failed ? 'error' : current ? 'uploading' : 'waiting';
    this.groups[groupId] = {
      state,
      total: mine.length,
      uploaded: uploaded.length,
      sentBytes: sent,
      totalBytes: mine.reduce((n, r) => n + r.size, 0),
      error: this.groups[groupId]?.error ?? null,
    };
  }

  /** Runs the outbox now if online and not already running. */
  kick(): void {
    if (this.running || !this.deps.network.online || !this.deps.token()) return;
    this.running = this.drain()
      .catch((e: unknown) => console.warn('muster: photo upload', e))
      .finally(() => {
        this.running = null;
      });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, RETRY_MS);
  }

  private async drain(): Promise<void> {
    const waiting = (await db.photos.where('uploaded').equals(0).toArray()).filter(
      (r) => !this.failed.has(`${r.groupId}/${r.hash}`),
    );
    for (const row of waiting) {
      if (!this.deps.network.online) return this.scheduleRetry();
      try {
        await this.uploadOne(row);
      } catch (e) {
        if (e instanceof HttpStatusError) {
          // Refused for good (400/403/413/415): shown, not retried until the app starts again.
          this.failed.add(`${row.groupId}/${row.hash}`);
          const g = this.groups[row.groupId];
          if (g) this.groups[row.groupId] = { ...g, error: `${e.status} ${e.message}` };
          await this.refresh(row.groupId);
          continue;
        }
        await this.refresh(row.groupId);
        return this.scheduleRetry();
      }
    }
  }

  private async uploadOne(row: PhotoRow, renewed = false): Promise<void> {
    const token = this.deps.token();
    if (!token) throw new TypeError('no token');
    const url = photoUrl(row.groupId, row.hash);
    await this.refresh(row.groupId, { hash: row.hash, sent: 0 });
    const head = await fetch(url, { method: 'HEAD', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    let status = head.status;
    if (status !== 200 && status !== 401) {
      status = await put(url, token, row.blob, (sent) => void this.refresh(row.groupId, { hash: row.hash, sent }));
    }
    if (status === 401 && !renewed) {
      await this.deps.renew();
      return this.uploadOne(row, true);
    }
    if (status >= 500 || status === 401 || status === 0) throw new TypeError(`upload failed: ${status}`);
    if (status >= 400) throw new HttpStatusError(status, 'refused by the server');
    await db.photos.update([row.groupId, row.hash], { uploaded: 1 });
    await this.refresh(row.groupId);
  }
}
