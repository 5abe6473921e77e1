/**
 * AUTH-1: failed logins are limited per account (police number) and per address. Each key counts failures in a
 * sliding window; after `maxFailures` the key is locked for `lockMs` (doubling on each further lock-out, capped
 * at `maxLockMs`). A success clears the account's failures. In memory: a restart forgets lock-outs (the audit
 * log keeps every failure).
 */
import type { Clock } from '../clock.ts';

export interface ThrottleOptions {
  /** Failures of one account within `windowMs` that lock it. */
  accountMaxFailures: number;
  /** Failures from one address within `windowMs` that lock the address (it may try many accounts). */
  addressMaxFailures: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
}

export const THROTTLE_DEFAULTS: ThrottleOptions = {
  accountMaxFailures: 5,
  addressMaxFailures: 20,
  windowMs: 15 * 60_000,
  lockMs: 5 * 60_000,
  maxLockMs: 60 * 60_000,
};

interface Entry {
  failures: number[];
  lockedUntil: number;
  locks: number;
}

export interface Blocked {
  scope: 'account' | 'address';
  retryAfterMs: number;
}

export class LoginThrottle {
  readonly #o: ThrottleOptions;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Clock, options: Partial<ThrottleOptions> = {}) {
    this.#clock = clock;
    this.#o = { ...THROTTLE_DEFAULTS, ...options };
  }

  /** Whether a login for this account from this address is refused now, and for how long. */
  check(account: string, address: string): Blocked | null {
    const now = this.#clock.now();
    for (const [scope, key] of [
      ['account', `a:${account}`],
      ['address', `r:${address}`],
    ] as const) {
      const e = this.#entries.get(key);
      if (e && e.lockedUntil > now) return { scope, retryAfterMs: e.lockedUntil - now };
    }
    return null;
  }

  /** Counts a failure; returns the lock-out it caused, if any. */
  fail(account: string, address: string): Blocked | null {
    const a = this.#count(`a:${account}`, this.#o.accountMaxFailures);
    const r = this.#count(`r:${address}`, this.#o.addressMaxFailures);
    if (a) return { scope: 'account', retryAfterMs: a };
    if (r) return { scope: 'address', retryAfterMs: r };
    return null;
  }

  succeed(account: string): void {
    this.#entries.delete(`a:${account}`);
  }

  #count(key: string, max: number): number | null {
    const now = this.#clock.now();
    let e = this.#entries.get(key);
    if (!e) this.#entries.set(key, (e = { failures: [], lockedUntil: 0, locks: 0 }));
    e.failures = e.failures.filter((t) => t > now - this.#o.windowMs);
    e.failures.push(now);
    if (e.failures.length < max) return null;
    const lock = Math.min(this.#o.lockMs * 2 ** e.locks, this.#o.maxLockMs);
    e.locks++;
    e.failures = [];
    e.lockedUntil = now + lock;
    if (this.#entries.size > 100_000) this.#prune(now);
    return lock;
  }

  #prune(now: number): void {
    for (const [k, e] of this.#entries) {
      if (e.lockedUntil <= now && e.failures.every((t) => t <= now - this.#o.windowMs)) this.#entries.delete(k);
    }
  }
}
