/**
 * The browser's network state, read in one place: whether the browser thinks it is online (`navigator.onLine`) and
 * the moments it comes back (`online`) or goes (`offline`). Everything that skips work offline or retries when the
 * network returns asks this, never `navigator` or `window` directly.
 */
export class Network {
  private readonly backFns = new Set<() => void>();
  private readonly changeFns = new Set<(online: boolean) => void>();

  /** `probe` reads the current state (the browser: `navigator.onLine`); `events` fires `online` and `offline`. */
  constructor(
    events: Pick<EventTarget, 'addEventListener'>,
    private readonly probe: () => boolean,
  ) {
    events.addEventListener('online', () => {
      for (const fn of [...this.changeFns]) fn(true);
      for (const fn of [...this.backFns]) fn();
    });
    events.addEventListener('offline', () => {
      for (const fn of [...this.changeFns]) fn(false);
    });
  }

  /** The browser's network state now (true does not mean the server answers: see Connectivity). */
  get online(): boolean {
    return this.probe();
  }

  /** Calls `fn` each time the network comes back; returns the function that stops it. */
  whenOnline(fn: () => void): () => void {
    this.backFns.add(fn);
    return () => this.backFns.delete(fn);
  }

  /** Calls `fn` with the new state at each change (before the `whenOnline` calls); returns the function that stops it. */
  onChange(fn: (online: boolean) => void): () => void {
    this.changeFns.add(fn);
    return () => this.changeFns.delete(fn);
  }
}

/** The page's network state (one per page; outside a browser, as in unit tests, always online and never changing). */
export const browserNetwork = (): Network =>
  typeof window === 'undefined'
    ? new Network(new EventTarget(), () => true)
    : new Network(window, () => navigator.onLine);
