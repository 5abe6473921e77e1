/** The server's one source of trusted time. Tests inject a manual clock and move it. */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  set(ms: number): number {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('clock: time must be a positive number');
    this.#now = Math.floor(ms);
    return this.#now;
  }
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock: can only move forward');
    this.#now += Math.floor(ms);
    return this.#now;
  }
}
