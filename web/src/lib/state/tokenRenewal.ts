/**
 * AUTH-3: the access token is renewed with the refresh token when the relay or the API refuses it, and ahead of its
 * expiry; sockets reconnect with the new one and resync, so nothing queued on the device is dropped. Only a refused
 * refresh asks for a new login (the session is then expired).
 */
import type { Network } from '../sync/network.ts';
import type { Connections } from './connections.svelte.ts';
import type { Inbox } from './inbox.svelte.ts';
import type { Session } from './session.svelte.ts';

/** Wait before asking again for a token the server could not be reached for. */
const RENEW_RETRY_MS = 3_000;
/** How often the token's expiry is looked at, and how close to it a renewal starts. */
const CHECK_MS = 30_000;
export const RENEW_MARGIN_MS = 2 * 60_000;

export interface TokenRenewalDeps {
  session: Session;
  connections: Connections;
  inbox: Inbox;
  network: Network;
}

export class TokenRenewal {
  private timer: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: TokenRenewalDeps) {}

  /** Renews ahead of expiry while logged in and online (once per login; stop() ends it). */
  start(): void {
    const { session, network } = this.deps;
    this.timer ??= setInterval(() => {
      if (network.online && session.current && session.expiresWithin(RENEW_MARGIN_MS)) void this.renew();
    }, CHECK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Renews when the token expires within the margin (before a call that needs it). */
  async renewIfDue(): Promise<void> {
    if (this.deps.session.expiresWithin(RENEW_MARGIN_MS)) await this.renew();
  }

  /** Renews now; sockets and the inbox go on with the new token. */
  async renew(): Promise<void> {
    const { session, connections, inbox } = this.deps;
    const token = await session.renew();
    if (!token) {
      // Not refused (that expires the session) but unreachable, e.g. asked while the link dropped: sockets closed
      // with 4401 do not retry on their own, and later 4401s may have joined this failed attempt. Try again soon.
      if (!session.expired && session.current && !this.retry)
        this.retry = setTimeout(() => {
          this.retry = null;
          void this.renew();
        }, RENEW_RETRY_MS);
      return;
    }
    connections.setToken(token);
    // Sockets the relay closed for the old token (4401) do not retry on their own: reconnect them now.
    connections.reconnectAll();
    inbox.setToken(token);
    inbox.reconnectNow();
  }
}
