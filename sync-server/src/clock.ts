/** The server's one source of trusted time. Tests inject a manual clock and move it. */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  #now: number;
  readonly #listeners = new Set<(now: number) => void>();
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  set(ms: number): number {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('clock: time must be a positive number');
    this.#now = Math.floor(ms);
    this.#changed();
    return this.#now;
  }
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock: can only move forward');
    this.#now += Math.floor(ms);
    this.#changed();
    return this.#now;
  }
  /** Runs `fn` after every move (the escalation scheduler checks at once instead of waiting on a timer). */
  onChange(fn: (now: number) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
  #changed(): void {
    for (const fn of this.#listeners) fn(this.#now);
  }
}
