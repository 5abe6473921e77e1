/**
 * HIST-1: listens to `GET /api/groups/changes` (server-sent events over fetch, so the bearer token goes in a header)
 * and calls `onChanged` for each `changed` event; reconnects after a failure or the end of the stream, waiting 5 s,
 * doubling up to a minute. `live` says whether a stream is open now (the refresher then polls rarely).
 */
export interface StreamDeps {
  token: () => string | null;
  /** The browser network state (Network.online). */
  online: () => boolean;
  onChanged: () => void;
}

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;

export class ListChangesStream {
  live = false;
  private ctrl: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly deps: StreamDeps) {}

  start(): void {
    if (this.ctrl) return;
    this.ctrl = new AbortController();
    void this.listen(this.ctrl.signal);
  }

  stop(): void {
    this.ctrl?.abort();
    this.ctrl = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.live = false;
  }

  private async listen(signal: AbortSignal): Promise<void> {
    const token = this.deps.token();
    try {
      if (!token || !this.deps.online()) throw new Error('offline or logged out');
      const res = await fetch('/api/groups/changes', {
        headers: { Authorization: `Bearer ${token}` },
        cache: 'no-store',
        signal,
      });
      if (!res.ok || !res.body) throw new Error(`list changes: ${res.status}`);
      this.live = true;
      this.retryMs = FIRST_RETRY_MS;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: changed$/m.test(event)) this.deps.onChanged();
        }
      }
    } catch {
      // offline, refused or cut: try again later
    }
    this.live = false;
    if (signal.aborted) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!signal.aborted) void this.listen(signal);
    }, this.retryMs);
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }
}
