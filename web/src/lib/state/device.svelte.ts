/**
 * STORE-1, STORE-2: the device store. Persistent storage is asked for at login and the answer kept; usage and
 * quota come from `navigator.storage.estimate()`; a write refused for quota raises `full` (the storage-full banner)
 * while everything already saved stays where it is.
 *
 * STORE-3: a refusal is said once on the main screen (until dismissed on this device), with what it means for
 * offline work; asking again says what the browser answered this time.
 */
import { db } from '../db/db.ts';
import { estimatedWriteBytes, isQuotaError } from '../device/quota.ts';

const PROBE_KEY = 'quota-probe';
const PROBE_CHUNK = 30_000;

export type PersistState = 'unknown' | 'persisted' | 'not-persisted' | 'unsupported';
/** STORE-3: the answer to a request made from the banner or settings (null before one). */
export type PersistRetry = 'granted' | 'refused' | null;

const NOTICE_KEY = 'muster.persistNoticeSeen';

function noticeSeen(): boolean {
  try {
    return localStorage.getItem(NOTICE_KEY) === '1';
  } catch {
    return false;
  }
}

export class DeviceStorage {
  persist = $state<PersistState>('unknown');
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  full = $state(false);
  /** STORE-3: the refusal notice was dismissed on this device. */
  noticeDismissed = $state(noticeSeen());
  /** STORE-3: the browser's answer to the last request made by hand. */
  retry = $state<PersistRetry>(null);
  retrying = $state(false);

  /** STORE-3: the main screen says that storage is not persistent (once, until dismissed). */
  get showRefusal(): boolean {
    return this.persist === 'not-persisted' && !this.noticeDismissed;
  }

  private get api(): StorageManager | null {
    return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null;
  }

  /** Reads whether the origin's storage is already persistent (no prompt). */
  async check(): Promise<void> {
    const s = this.api;
    if (!s?.persisted) {
      this.persist = 'unsupported';
      return;
    }
    this.persist = (await s.persisted().catch(() => false)) ? 'persisted' : 'not-persisted';
  }

  /** Asks for persistent storage (at login); the browser may grant it silently or refuse. */
  async requestPersist(): Promise<PersistState> {
    const s = this.api;
    if (!s?.persist) return (this.persist = 'unsupported');
    const granted = await s.persist().catch(() => false);
    return (this.persist = granted ? 'persisted' : 'not-persisted');
  }

  /** STORE-3: asks again by hand (banner or settings) and keeps the answer to say it. */
  async retryPersist(): Promise<PersistRetry> {
    if (this.retrying) return this.retry;
    this.retrying = true;
    this.retry = null;
    try {
      const state = await this.requestPersist();
      this.retry = state === 'persisted' ? 'granted' : 'refused';
    } finally {
      this.retrying = false;
    }
    return this.retry;
  }

  /** STORE-3: the officer read the notice; it is not shown again on this device. */
  dismissRefusal(): void {
    this.noticeDismissed = true;
    try {
      localStorage.setItem(NOTICE_KEY, '1');
    } catch {
      // storage unavailable: dismissed for this run of the app
    }
  }

  async refresh(): Promise<void> {
    const s = this.api;
    if (!s?.estimate) return;
    try {
      const e = await s.estimate();
      this.usage = e.usage ?? null;
      this.quota = e.quota ?? null;
    } catch {
      // estimate unavailable
    }
  }

  /**
   * Before a finding is written: a real probe write of its size (incompressible bytes) into the device database,
   * removed at once. False, with the banner raised, when IndexedDB refuses it for quota; the caller then leaves the
   * group document untouched and keeps the input so the officer can retry once there is room.
   */
  async canWrite(text: string): Promise<boolean> {
    // Chunks under 32 KiB: Chromium keeps them inline in the database, as the document's updates are.
    const chunks: Uint8Array[] = [];
    for (let left = estimatedWriteBytes(text); left > 0; left -= PROBE_CHUNK)
      chunks.push(crypto.getRandomValues(new Uint8Array(Math.min(PROBE_CHUNK, left))));
    const probes = db.table<{ key: string; chunks: Uint8Array[] }, string>('cache');
    try {
      await probes.put({ key: PROBE_KEY, chunks });
      await probes.delete(PROBE_KEY);
    } catch (e) {
      if (this.report(e)) return false;
      console.warn('muster: storage probe failed', e);
      return true;
    }
    this.full = false;
    return true;
  }

  /** A failed device write: a quota error raises the banner; true when it was one. */
  report(error: unknown): boolean {
    if (!isQuotaError(error)) return false;
    this.full = true;
    void this.refresh();
    return true;
  }

  /** Quota errors nobody caught (a background write) still raise the banner. */
  watchUnhandled(): void {
    window.addEventListener('unhandledrejection', (e) => {
      if (this.report(e.reason)) e.preventDefault();
    });
  }

  dismiss(): void {
    this.full = false;
  }
}
