/**
 * SYNC-7: "reconnect now" (the `online` event, sync now, a renewed token) skips y-websocket's back-off, but never
 * cuts an attempt that is still young: the browser fires `online` just as the provider's own retry opens a socket,
 * and killing that attempt makes the relay see a socket opened and dropped for nothing (and a large upload start
 * over). An attempt older than `FRESH_ATTEMPT_MS` may hang on a dead route and is replaced.
 */
import type { WebsocketProvider } from 'y-websocket';

export const FRESH_ATTEMPT_MS = 5_000;

/** Watches a provider's attempts; `now()` reconnects it unless it is connected or a young attempt is under way. */
export class Reconnector {
  private connectingSince: number | null = null;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly clock: () => number = Date.now,
  ) {
    provider.on('status', ({ status }: { status: string }) => {
      this.connectingSince = status === 'connecting' ? this.clock() : null;
    });
  }

  /** True when it started a new attempt. */
  now(connect: () => void): boolean {
    const p = this.provider;
    if (p.wsconnected) return false;
    if (p.wsconnecting && this.connectingSince !== null && this.clock() - this.connectingSince < FRESH_ATTEMPT_MS)
      return false;
    p.wsUnsuccessfulReconnects = 0;
    if (p.ws) p.disconnect();
    connect();
    return true;
  }
}
