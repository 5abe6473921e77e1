/**
 * AUTH-1: failed logins are limited per account (police number) and per address. Each key counts failures in a
 * sliding window; after `maxFailures` the key is locked for `lockMs` (doubling on each further lock-out, capped
 * at `maxLockMs`). A success clears the account's failures. The state of every key is kept in the store
 * (`setThrottle` on each change, `listThrottle` at start-up), so a restart or a crash does not lift a lock-out.
 * A key is forgotten once it has no failure in the window and its last lock ended `maxLockMs` ago (until then a
 * further lock-out still doubles).
 * AUTH-7: with several relay nodes each change is also announced (`onChange`) and the other nodes `apply` it, so a
 * lock-out made on one node holds on all of them at once.
 */
import type { Clock } from '../clock.ts';
import type { Store, ThrottleState } from '../store/store.ts';

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

export interface Blocked {
  scope: 'account' | 'address';
  retryAfterMs: number;
}

type ThrottleStore = Pick<Store, 'listThrottle' | 'setThrottle'>;

export class LoginThrottle {
  readonly #o: ThrottleOptions;
  readonly #clock: Clock;
  readonly #store: ThrottleStore;
  readonly #entries = new Map<string, ThrottleState>();
  #listener: ((key: string, state: ThrottleState | null) => void) | null = null;

  private constructor(store: ThrottleStore, clock: Clock, options: Partial<ThrottleOptions>) {
    this.#store = store;
    this.#clock = clock;
    this.#o = { ...THROTTLE_DEFAULTS, ...options };
  }

  /** A throttle with the stored state of every key (lock-outs from before a restart hold); expired rows go. */
  static async load(
    store: ThrottleStore,
    clock: Clock,
    options: Partial<ThrottleOptions> = {},
  ): Promise<LoginThrottle> {
    const t = new LoginThrottle(store, clock, options);
    const now = clock.now();
    for (const { key, ...state } of await store.listThrottle()) {
      if (t.#expired(state, now)) await store.setThrottle(key, null);
      else t.#entries.set(key, state);
    }
    return t;
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

  /** Counts a failure (stored before it resolves); resolves to the lock-out it caused, if any. */
  async fail(account: string, address: string): Promise<Blocked | null> {
    const now = this.#clock.now();
    const a = this.#count(`a:${account}`, this.#o.accountMaxFailures, now);
    const r = this.#count(`r:${address}`, this.#o.addressMaxFailures, now);
    const writes = [this.#save(`a:${account}`), this.#save(`r:${address}`)];
    if ((a || r) && this.#entries.size > 100_000) writes.push(...this.#prune(now));
    await Promise.all(writes);
    if (a) return { scope: 'account', retryAfterMs: a };
    if (r) return { scope: 'address', retryAfterMs: r };
    return null;
  }

  /** A successful login: the account's failures (and lock history) are cleared. */
  async succeed(account: string): Promise<void> {
    const key = `a:${account}`;
    if (this.#entries.delete(key)) {
      this.#listener?.(key, null);
      await this.#store.setThrottle(key, null);
    }
  }

  /** AUTH-7: called with each key's new state (another node's throttle applies it). */
  onChange(fn: (key: string, state: ThrottleState | null) => void): void {
    this.#listener = fn;
  }

  /** AUTH-7: a key's state as another node changed (and stored) it. */
  apply(key: string, state: ThrottleState | null): void {
    if (state === null) this.#entries.delete(key);
    else this.#entries.set(key, { failures: [...state.failures], lockedUntil: state.lockedUntil, locks: state.locks });
  }

  #count(key: string, max: number, now: number): number | null {
    let e = this.#entries.get(key);
    if (!e) this.#entries.set(key, (e = { failures: [], lockedUntil: 0, locks: 0 }));
    e.failures = e.failures.filter((t) => t > now - this.#o.windowMs);
    e.failures.push(now);
    if (e.failures.length < max) return null;
    const lock = Math.min(this.#o.lockMs * 2 ** e.locks, this.#o.maxLockMs);
    e.locks++;
    e.failures = [];
    e.lockedUntil = now + lock;
    return lock;
  }

  /** Writes one key's state as it is now (the map is changed synchronously, so writes keep their order). */
  #save(key: string): Promise<void> {
    const e = this.#entries.get(key);
    const state = e ? { failures: [...e.failures], lockedUntil: e.lockedUntil, locks: e.locks } : null;
    this.#listener?.(key, state);
    return this.#store.setThrottle(key, state);
  }

  #expired(e: ThrottleState, now: number): boolean {
    return e.lockedUntil + this.#o.maxLockMs <= now && e.failures.every((t) => t <= now - this.#o.windowMs);
  }

  #prune(now: number): Promise<void>[] {
    const writes: Promise<void>[] = [];
    for (const [k, e] of this.#entries) {
      if (this.#expired(e, now)) {
        this.#entries.delete(k);
        this.#listener?.(k, null);
        writes.push(this.#store.setThrottle(k, null));
      }
    }
    return writes;
  }
}
