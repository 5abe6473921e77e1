/**
 * Sync state, derived from the relay's durable acknowledgements (the pending count compares the document with the
 * acknowledged state vector), not from socket state. The link only decides whether pending changes are on their
 * way ("sending") or stuck on the device ("offline").
 */
export type LinkState = 'online' | 'connecting' | 'offline';
export type SocketStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';
export type SyncKind = 'offline' | 'sending' | 'unsaved' | 'saved' | 'refused';

export interface GroupSyncState {
  kind: SyncKind;
  /** Records not yet acknowledged as persisted by the relay. */
  pending: number;
  /** Server time of the last durable acknowledgement, when one arrived. */
  ackedAt: number | null;
  /** LATE-1/REQ-2: records the relay refused (they stay on the device, never counted as saved). */
  refused?: number;
}

/**
 * SYNC-1 with LATE-1: "all saved" only when nothing is pending and the relay refused nothing the device holds.
 * SYNC-6: changes waiting longer than STALL_MS without an acknowledgement, with the network up, are "not saved"
 * (amber, with the time of the last save), not "sending": the relay may be unreachable while the socket looks open.
 */
export function groupSyncState(
  pending: number,
  ackedAt: number | null,
  link: LinkState,
  refused = 0,
  stalled = false,
): GroupSyncState {
  if (pending <= 0 && refused > 0) return { kind: 'refused', pending: 0, ackedAt, refused };
  if (pending <= 0) return { kind: 'saved', pending: 0, ackedAt };
  if (link === 'offline') return { kind: 'offline', pending, ackedAt };
  return { kind: stalled ? 'unsaved' : 'sending', pending, ackedAt };
}

/** SYNC-6: how long pending changes may wait for an acknowledgement before the device admits they are not saved. */
export const STALL_MS = 4_000;

/** The link of one group: its socket when one is open, else the global link (pending groups wait for a socket). */
export function groupLink(socket: SocketStatus | null, global: LinkState): LinkState {
  if (global === 'offline') return 'offline';
  if (socket === 'connected') return 'online';
  if (socket === 'closed') return 'offline';
  if (socket === 'disconnected') return global === 'online' ? 'connecting' : global;
  return 'connecting';
}

/** What a group's live connection adds to its sync state (GroupConnectionSnapshot). */
export interface LiveSync {
  status: SocketStatus;
  refused?: number;
  stalled?: boolean;
}

/**
 * SYNC-1/SYNC-6: a group's sync state, one derivation for the list row and the open group: the pending count and
 * last save, with the open group's socket, refusals and stall when it has a live connection (else none of them).
 */
export function liveSyncState(
  pending: number,
  ackedAt: number | null,
  live: LiveSync | null,
  global: LinkState,
): GroupSyncState {
  return groupSyncState(
    pending,
    ackedAt,
    groupLink(live?.status ?? null, global),
    live?.refused ?? 0,
    live?.stalled ?? false,
  );
}

export interface GlobalLinkInput {
  /** `navigator.onLine`. */
  browserOnline: boolean;
  sockets: readonly SocketStatus[];
  /** Result of the last API call: true reached the server, false failed, null none yet. */
  apiReachable: boolean | null;
}

/** The global connection indicator. */
export function globalLink({ browserOnline, sockets, apiReachable }: GlobalLinkInput): LinkState {
  if (!browserOnline) return 'offline';
  if (sockets.includes('connected')) return 'online';
  if (sockets.includes('connecting')) return 'connecting';
  if (apiReachable === true) return 'online';
  if (apiReachable === null) return 'connecting';
  return 'offline';
}
