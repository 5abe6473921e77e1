/**
 * Names of the server-owned root types of Muster documents (beside `server:stamps`). Every name starts with
 * `server:` so the relay's refusal of client writes (STAMP-3) covers them without a list.
 */

/** Group doc: server events such as an overdue invitation's escalation (ESC-1). Key: event id. */
export const EVENTS_ROOT = 'server:events';

/** Group doc: approval decisions the relay wrote on a leader's behalf (APR-3). Key: approval id. */
export const DECISIONS_ROOT = 'server:decisions';

/** Group doc: the closure record (CLOSE-3). Key: `closure`. */
export const CLOSURE_ROOT = 'server:closure';

/**
 * Group doc: the relay's verdict on requests it refused (decision, close, supervision requests; REQ-1).
 * Key: `<collection>/<record id>`, value `{code, at}`.
 */
export const REFUSALS_ROOT = 'server:refusals';

/** Group doc: the seal of a closed group (LATE-3): after it the relay refuses every write. Key: `seal`. */
export const SEAL_ROOT = 'server:seal';

/**
 * Group doc: a leader's legal holds (KEEP-2): each accepted hold request (placed or lifted) with the server's time.
 * Key: the request id; value `{ requestId, on, reason, by, postId, at }`. The latest decides.
 */
export const HOLD_ROOT = 'server:hold';

/**
 * Group doc: closure receipts (LATE-1): per device client id (decimal key), the clock that client had reached when it
 * answered the relay's first sync step 1 after the relay delivered the closure to it. `{ clock, at }`.
 */
export const RECEIPTS_ROOT = 'server:receipts';
/**
 * Group doc: the assistant's answers to look-up questions (ASSIST-4), written by the relay only. Key: the question
 * id.
 */
export const ANSWERS_ROOT = 'server:answers';

/**
 * Group doc: whom each clue went to (CLUE-5), as the relay resolved it from the directory when it accepted the clue,
 * so every member sees the recipients, including those of units whose persons their directory does not show (DIR-6).
 * Key: the clue's entry id; value `{ clueId, persons: [{ personId, name, unitId }], at }`.
 */
export const RECIPIENTS_ROOT = 'server:recipients';

/** Inbox doc: items the server delivers to one person (INBOX-1). Key: item id. */
export const INBOX_ROOT = 'server:inbox';

/** Document name of a person's inbox: `inbox:<personId>`. */
export function inboxDocName(personId: string): string {
  return `inbox:${personId}`;
}

/** The person id of an inbox document name, or null. (Group names are parsed by `parseDocName`.) */
/**
 * HIST-8: the notice code telling a device its copy of the inbox holds items the relay archived since (it rebuilt
 * the live inbox): the device drops its copy and syncs the live inbox afresh.
 */
export const INBOX_STALE = 'inbox-stale';

export function parseInboxDocName(name: string): string | null {
  const m = /^inbox:([A-Za-z0-9_-]{1,64})$/.exec(name);
  return m ? m[1]! : null;
}
