/**
 * ATT-1: the device's server-time anchor and the attested time of its acts. The anchor is the server time of the
 * last durable acknowledgement with the device's monotonic clock (`performance.now()`) and wall clock at its
 * arrival, persisted (localStorage), so a restart keeps it. An act's attested time is anchor + monotonic time since
 * while this page has run throughout (chain `monotonic`); after a restart (another page session) the monotonic
 * clock is gone, so the device clock is corrected by the skew measured at the anchor (chain `restart`) with a wider
 * uncertainty. The server judges whether to use it (core `judgeAttested`); the device clock is never trusted alone.
 */
import type { Attested } from '@muster/core';

export interface Anchor {
  serverTime: number;
  /** `performance.now()` when the acknowledgement arrived, in page session `session`. */
  mono: number;
  /** Device wall clock when it arrived. */
  wall: number;
  session: string;
}

const KEY = 'muster.timeAnchor';

export class Attestation {
  readonly session: string;
  #anchor: Anchor | null;

  constructor(
    private readonly store: Pick<Storage, 'getItem' | 'setItem'> | null,
    private readonly mono: () => number,
    private readonly wall: () => number,
    session?: string,
  ) {
    this.session = session ?? `${wall().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    this.#anchor = Attestation.parse(store?.getItem(KEY) ?? null);
  }

  static parse(raw: string | null): Anchor | null {
    if (!raw) return null;
    try {
      const a = JSON.parse(raw) as Partial<Anchor>;
      const ok = [a.serverTime, a.mono, a.wall].every((n) => typeof n === 'number' && Number.isFinite(n));
      return ok && typeof a.session === 'string' ? (a as Anchor) : null;
    } catch {
      return null;
    }
  }

  get anchor(): Anchor | null {
    return this.#anchor;
  }

  /** Records the server time of a durable acknowledgement that arrived just now. */
  observe(serverTime: number): void {
    if (!Number.isFinite(serverTime) || serverTime <= 0) return;
    if (this.#anchor && serverTime < this.#anchor.serverTime) return;
    this.#anchor = { serverTime, mono: this.mono(), wall: this.wall(), session: this.session };
    try {
      this.store?.setItem(KEY, JSON.stringify(this.#anchor));
    } catch {
      // storage full or unavailable: the anchor still holds for this page session
    }
  }

  /** The attested time of an act now, or null when the device never had an acknowledgement. */
  now(): Attested | null {
    const a = this.#anchor;
    if (!a) return null;
    if (a.session === this.session) {
      const elapsed = Math.max(0, this.mono() - a.mono);
      return {
        at: Math.round(a.serverTime + elapsed),
        uncertaintyMs: Math.round(1_000 + elapsed * 0.001),
        anchorAt: a.serverTime,
        chain: 'monotonic',
      };
    }
    const skew = a.serverTime - a.wall;
    const at = Math.round(this.wall() + skew);
    const elapsed = Math.abs(at - a.serverTime);
    return {
      at: Math.max(at, a.serverTime),
      uncertaintyMs: Math.round(30_000 + elapsed * 0.01),
      anchorAt: a.serverTime,
      chain: 'restart',
    };
  }
}

export const attestation = new Attestation(
  typeof localStorage === 'undefined' ? null : localStorage,
  () => performance.now(),
  () => Date.now(),
);
