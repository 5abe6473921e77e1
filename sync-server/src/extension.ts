/**
 * The relay's hook interface (in the spirit of Hocuspocus extensions). Storage, the durable commit, the
 * acknowledgement and the broadcast are the relay's own steps; everything else plugs in here. Every hook is
 * optional. Each extension names its phase; the relay runs every hook by phase, in the order of `PHASES` (within one
 * phase, in the order the extensions are given), whatever order they are listed in. docs/ARCHITECTURE.md draws the
 * pipeline (hook × extension).
 *
 * A client update: onMessage (admit) → decode → beforeApply (authorize, inspect; any may refuse or cut) → apply,
 * broadcasts held → afterApply (stamp, workflow) → broadcast → group commit → acknowledgement → onStoreUpdate
 * (workflow, project, observe).
 */
import type * as Y from 'yjs';
import type { ReadonlyChangedKeys } from '@muster/core';
import type { ConnectionHandle, DocumentHandle, Principal, Refusal } from './relay/types.ts';
import type { DecodedUpdate } from './relay/inspectUpdate.ts';

/**
 * The phases, in pipeline order:
 * - `route`: which node acts for a document (leases, several nodes);
 * - `authenticate`: who opens the socket (tokens);
 * - `admit`: whether this connection or message may go on (limits, live sessions);
 * - `authorize`: what this person may do with this document (access, membership);
 * - `inspect`: whether an update keeps the document's rules (closed groups, server-owned roots, inboxes);
 * - `stamp`: the server's time on every record (STAMP-1); must run before anything that reads stamps;
 * - `workflow`: judgements, deadlines, addressees, inbox deliveries, the assistant (reads stamps);
 * - `project`: read models outside the document (statistics);
 * - `observe`: logs, nothing else.
 */
export const PHASES = [
  'route',
  'authenticate',
  'admit',
  'authorize',
  'inspect',
  'stamp',
  'workflow',
  'project',
  'observe',
] as const;
export type Phase = (typeof PHASES)[number];

/** The extensions in pipeline order: by phase, then in the order given (a stable sort). */
export function inPipelineOrder(extensions: readonly Extension[]): Extension[] {
  return extensions
    .map((x, i) => ({ x, i }))
    .sort((a, b) => PHASES.indexOf(a.x.phase) - PHASES.indexOf(b.x.phase) || a.i - b.i)
    .map(({ x }) => x);
}

export interface AuthenticateContext {
  docName: string;
  /** The token from the URL, or null. Never log it. */
  token: string | null;
  remote: string;
}

export interface Extension {
  readonly name: string;
  readonly phase: Phase;
  /** Identifies the person opening a websocket. Return null when this extension cannot tell. */
  onAuthenticate?(ctx: AuthenticateContext): Promise<Principal | null>;
  /** A document was loaded from the store, before any connection syncs it. */
  onLoadDocument?(ctx: { document: DocumentHandle }): void | Promise<void>;
  /** An authenticated connection was attached to its document, before sync. Throw ConnectionRefused to refuse. */
  onConnect?(ctx: { connection: ConnectionHandle; document: DocumentHandle }): void | Promise<void>;
  /** A client update, decoded, before it is applied. Return a Refusal to drop it. */
  beforeApply?(ctx: {
    connection: ConnectionHandle;
    document: DocumentHandle;
    update: Uint8Array;
    decoded: DecodedUpdate;
    /** A sync step 2 (the answer to a sync step 1 of the relay) or a plain update. */
    kind?: 'step2' | 'update';
  }): Refusal | null;
  /**
   * An awareness update from a client, before it is applied: return the (possibly rewritten) update, or null to
   * drop it. Throw to close the connection as malformed.
   */
  beforeAwareness?(ctx: {
    connection: ConnectionHandle;
    document: DocumentHandle;
    update: Uint8Array;
  }): Uint8Array | null;
  /**
   * Every incoming websocket message, before it is decoded (limits). Return a close code and reason to close the
   * connection.
   */
  onMessage?(ctx: { connection: ConnectionHandle; bytes: number }): { code: number; reason: string } | null;
  /** A client update was applied; `transaction` is the one that applied it. */
  afterApply?(ctx: {
    connection: ConnectionHandle;
    document: DocumentHandle;
    transaction: Y.Transaction;
    kind?: 'step2' | 'update';
  }): void;
  /** The relay answered a client's sync step 1 (its sync step 2, every part of it, and the acknowledgement left). */
  afterSyncAnswer?(ctx: { connection: ConnectionHandle; document: DocumentHandle }): void;
  /**
   * Updates of a document were committed durably (and acknowledged). `changes`: the keys they changed per root
   * (PERF-1), so a view kept up to date looks at those records only.
   */
  onStoreUpdate?(ctx: {
    document: DocumentHandle;
    lastSeq: number;
    count: number;
    serverTime: number;
    changes: ReadonlyChangedKeys;
  }): void;
  onDisconnect?(ctx: { connection: ConnectionHandle; document: DocumentHandle | null; code: number }): void;
  /** A document is about to leave memory (idle, or the server stops). */
  onUnloadDocument?(ctx: { document: DocumentHandle }): void;
  onDestroy?(): void | Promise<void>;
}

/** Thrown by onConnect to close a connection with a code (for example 4403 forbidden). */
export class ConnectionRefused extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'ConnectionRefused';
    this.code = code;
  }
}
