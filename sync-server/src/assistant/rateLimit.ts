/** ASSIST-7: look-ups per person in a sliding window of server time (in memory; a restart forgets it). */
export class RateLimit {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, number[]>();

  constructor(max: number, windowMs = 60_000) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Counts one look-up of `who` at `now`; false (and not counted) when the window is full. */
  take(who: string, now: number): boolean {
    const recent = (this.#hits.get(who) ?? []).filter((t) => t > now - this.#windowMs && t <= now);
    if (recent.length >= this.#max) {
      this.#hits.set(who, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(who, recent);
    return true;
  }
}
