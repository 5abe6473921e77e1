import { globalLink, type LinkState } from '../sync/syncStatus.ts';
import type { Network } from '../sync/network.ts';
import type { Connections } from './connections.svelte.ts';

/** The global connection indicator: browser network state, open sockets and the last API call. */
export class Connectivity {
  browserOnline = $state(true);
  apiReachable = $state<boolean | null>(null);

  link = $derived.by<LinkState>(() =>
    globalLink({
      browserOnline: this.browserOnline,
      sockets: this.connections.socketStatuses,
      apiReachable: this.apiReachable,
    }),
  );

  /**
   * SYNC-6: an open group has changes the relay left unacknowledged for STALL_MS: the link may look up (a socket
   * open, the last API call answered) while the relay does not answer. The indicator turns amber.
   */
  stalled = $derived.by(() => [...this.connections.handles.values()].some((h) => h.snapshot.stalled === true));

  /** SYNC-6: what the indicator shows: the link is up (or coming) yet the relay leaves changes unacknowledged. */
  notAnswering = $derived(this.link !== 'offline' && this.stalled);

  constructor(
    private readonly connections: Connections,
    private readonly network: Network,
  ) {
    this.browserOnline = network.online;
    network.onChange((online) => {
      this.browserOnline = online;
      if (online) this.apiReachable = null;
    });
  }

  reportApi(ok: boolean): void {
    this.apiReachable = ok;
  }
}
