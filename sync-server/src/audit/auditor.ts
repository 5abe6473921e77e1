/**
 * AUDIT-3: what the server audits, in one place. Appends never throw into the caller: a failed append is logged.
 * Tokens, passwords and refresh secrets are never part of a row.
 */
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { DocumentHandle } from '../relay/types.ts';
import type { AuditInput, GroupMember, Store } from '../store/store.ts';

export const AuditAction = {
  login: 'login',
  loginFailed: 'login-failed',
  loginLocked: 'login-locked',
  refresh: 'token-refresh',
  refreshFailed: 'token-refresh-failed',
  revoke: 'sessions-revoked',
  logout: 'logout',
  groupOpen: 'group-open',
  accessRefused: 'access-refused',
  groupCreated: 'group-created',
  memberRegistered: 'member-registered',
  updateRefused: 'update-refused',
  signOff: 'sign-off',
  /** ATT-3: a sign-off judged on its attested time (it arrived after the deadline). */
  attestedVerdict: 'attested-verdict',
  decisionRequest: 'decision-request',
  closeRequest: 'close-request',
  /** REMIND-1, REMIND-4: a 催办 the relay accepted. */
  reminder: 'reminder',
  /** KEEP-2: a legal hold placed or lifted. */
  legalHold: 'legal-hold',
  limit: 'limit-exceeded',
  awarenessRewritten: 'awareness-rewritten',
  export: 'export',
  dutyOn: 'duty-on',
  dutyOff: 'duty-off',
} as const;

export interface AuditEvent {
  action: string;
  actor: string | null;
  docName?: string | null;
  detail?: Record<string, unknown> | null;
}

export class Auditor {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(store: Store, clock: Clock, log: Logger) {
    this.#store = store;
    this.#clock = clock;
    this.#log = log;
  }

  /** Appends a row; resolves to its sequence number, or null when the append failed (logged). */
  async record(event: AuditEvent): Promise<number | null> {
    try {
      return await this.#store.appendAudit({
        at: this.#clock.now(),
        actor: event.actor,
        action: event.action,
        docName: event.docName ?? null,
        detail: event.detail ?? null,
      });
    } catch (error) {
      this.#log.error('audit append failed', {
        action: event.action,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  /**
   * AUDIT-7: a row about a record the update being handled now brings (a sign-off, a request, a verdict), written in
   * the same store transaction as that update: once, and only if the update is stored (call from `afterApply`).
   */
  withCommit(document: DocumentHandle, event: AuditEvent): void {
    document.auditWithCommit({
      at: this.#clock.now(),
      actor: event.actor,
      action: event.action,
      docName: event.docName ?? document.name,
      detail: event.detail ?? null,
    });
  }

  /**
   * AUDIT-8: registers `member` in the same store transaction as the update being handled now (call from
   * `afterApply`); the store appends `event`'s row then only if the member was not registered before.
   */
  memberWithCommit(document: DocumentHandle, member: GroupMember, event: AuditEvent): void {
    document.registerWithCommit({ member, audit: this.input({ ...event, docName: event.docName ?? document.name }) });
  }

  /** The row `event` makes now, for a store to append inside a transaction of its own (AUDIT-8). */
  input(event: AuditEvent): AuditInput {
    return {
      at: this.#clock.now(),
      actor: event.actor,
      action: event.action,
      docName: event.docName ?? null,
      detail: event.detail ?? null,
    };
  }

  /** Fire and forget (hooks that cannot wait). */
  note(event: AuditEvent): void {
    void this.record(event);
  }
}
