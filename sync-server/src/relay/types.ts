/** Types the relay, its extensions and the HTTP layer share. */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Notice, NoticeKind, TokenClaims } from '@muster/protocol';
import type { AuditInput, MemberRegistration } from '../store/store.ts';
import type { Span } from './inspectUpdate.ts';

/** The authenticated person behind a connection or request (the verified token claims). */
export type Principal = TokenClaims;

export interface ConnectionHandle {
  readonly id: number;
  readonly principal: Principal;
  readonly docName: string;
  /** Remote address, for logs. */
  readonly remote: string;
  /**
   * Sync step 1 messages the relay sent on this connection, and sync step 2 messages the client sent. A client
   * answers each sync step 1 with one sync step 2, in order (LATE-1 counts on that to know which answer is which).
   */
  readonly syncStepOnesSent: number;
  readonly syncStepTwosReceived: number;
  /** Sends the relay's sync step 1 now; the client answers with everything it holds that the relay lacks. */
  requestSync(): void;
  notice(notice: Notice): void;
  close(code: number, reason: string): void;
}

export interface DocumentHandle {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly connections: ReadonlySet<ConnectionHandle>;
  /** SYNC-9: runs `fn` once the update being handled now is committed and broadcast (from an update listener). */
  afterCommit(fn: () => void): void;
  /**
   * AUDIT-7: appends `entry` to the audit chain in the same store transaction as the update being handled now (call
   * it from `afterApply`): the row exists exactly when the update is stored, once, whichever node stores it.
   */
  auditWithCommit(entry: AuditInput): void;
  /**
   * AUDIT-8: registers a member (and its audit row, if it is new) in the same store transaction as the update being
   * handled now (call it from `afterApply`).
   */
  registerWithCommit(registration: MemberRegistration): void;
}

/** Why an update was not applied. */
export interface Refusal {
  /** Stable code, sent to the client in a notice (`server-owned`). */
  code: string;
  message: string;
  /** Tell the client with a `refused` notice and keep an audit row (a client broke a rule). */
  report: boolean;
  /** Ask the client to sync again (the update came before what it builds on). */
  resync: boolean;
  /**
   * REQ-2: refuse only these parts (items become garbage, deletions are cut) and apply the rest of the update, so
   * the device's other work, in this update and later ones, is kept. `keys` name the refused records.
   */
  drop?: { items: Span[]; deletes: Span[]; keys: string[] };
  /** The kind of notice a reported refusal sends (default `refused`; LATE-1 cuts on a closed group: `read-only`). */
  notice?: NoticeKind;
  /** A reported refusal keeps an audit row unless false (HIST-8: a device's copy of an archived inbox is no misdeed). */
  audit?: boolean;
}

/** Origin of the relay's own writes into documents (stamps), as opposed to connections. */
export const SERVER_ORIGIN: unique symbol = Symbol('muster-server');
/** Origin of state loaded from the store (not persisted again). */
export const LOAD_ORIGIN: unique symbol = Symbol('muster-load');
