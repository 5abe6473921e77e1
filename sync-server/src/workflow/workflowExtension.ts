/**
 * The workflow of a group, run by the relay through core (after stamping, with the server's origin):
 * - APR-3/APR-4: decision requests judged, accepted ones recorded in `server:decisions`;
 * - CLOSE-1..CLOSE-4: close requests judged, the first acceptable one recorded in `server:closure`;
 * - LATE-3: seal requests judged, the first acceptable one recorded in `server:seal`;
 * - KEEP-2: legal holds placed or lifted recorded in `server:hold` with the server's time, and audited;
 * - SUP-1: supervisions by persons who may not supervise are refused;
 * - CLUE-5: the recipients of each accepted clue are recorded in `server:recipients`;
 * - ATT-3: a sign-off judged on its attested time is audited as it arrives (`attested-verdict`);
 * - REQ-1: a request refused in the update that brought it is recorded in `server:refusals` and answered with a
 *   `refused` notice to its sender (the update itself is applied: later work of the device is not blocked);
 * - after each commit: the document's next deadline (ESC-4) goes to the scheduler, its access row (group list)
 *   to the store, whom it addresses (ACL-8) to the membership registry, and what it owes to inboxes (INBOX-3) to
 *   the inbox writer, each derived from what the commit changed (PERF-1).
 */
import type * as Y from 'yjs';
import {
  Root,
  changedRecords,
  changedRefs,
  groupAddressees,
  inboxDeliveries,
  judgeCloseRequests,
  judgeDecisionRequests,
  judgeSealRequests,
  maySupervise,
  nextDeadline,
  readMeta,
  recordClosure,
  recordClueRecipients,
  recordDecisions,
  recordHolds,
  recordRefusals,
  recordSeal,
  reminderDeliveries,
  supervisors,
  touchesAny,
} from '@muster/core';
import type { DeadlinePolicy, Directory, ReadonlyChangedKeys } from '@muster/core';
import { parseDocName } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { ConnectionHandle, DocumentHandle } from '../relay/types.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';
import type { GroupAccess, Store } from '../store/store.ts';
import { auditAttestedVerdicts } from './attestedAudit.ts';
import type { EscalationScheduler } from './escalationScheduler.ts';
import { groupAccessOf, sameAccess } from './groupAccess.ts';
import type { InboxWriter } from './inboxWriter.ts';

export interface WorkflowOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  directory: () => Directory;
  scheduler: EscalationScheduler;
  /** POL-15: the server's deadline policy (default: SLA-1 and CLOSE-4). */
  deadlines?: DeadlinePolicy;
  inbox: InboxWriter;
  /** ATT-3: audits verdicts judged on an attested time. */
  audit?: Auditor;
  /**
   * ACL-8: records the persons and posts a group addresses in the membership registry; resolves to false when the
   * group is not registered yet (they are then offered again with the next commit).
   */
  registerAddressees?: (groupId: string, addressees: { persons: string[]; posts: string[] }) => Promise<boolean>;
}

const isGroup = (document: DocumentHandle): boolean => parseDocName(document.name) !== null;

/**
 * Judges and records decisions, closure and supervisions; refusals of requests with ids in `fresh` are recorded in
 * `server:refusals` (REQ-1) and returned, so the sender is told.
 */
export function runJudgements(
  doc: Y.Doc,
  directory: Directory,
  now: number,
  fresh: ReadonlySet<string> | null,
  deadlines?: DeadlinePolicy,
): { code: string; message: string }[] {
  const refusals: { code: string; message: string }[] = [];
  const verdicts: { collection: string; id: string; code: string }[] = [];
  const refuse = (collection: string, id: string, code: string, message: string): void => {
    if (!fresh?.has(`${collection}/${id}`)) return;
    verdicts.push({ collection, id, code });
    refusals.push({ code, message });
  };
  // SUP-1: a supervision by someone who may not supervise is refused (and left out of `supervisors`).
  const meta = readMeta(doc);
  for (const s of meta ? supervisors(doc) : []) {
    const { postId, by } = s.record;
    if (!maySupervise(directory, by.personId, postId, meta!.unitId)) {
      refuse(Root.supervisions, s.id, 'not-a-leader', `supervising as ${postId} refused: not-a-leader`);
    }
  }
  recordRefusals(doc, verdicts.splice(0), now, SERVER_ORIGIN);
  const decisions = judgeDecisionRequests(doc, directory);
  recordDecisions(doc, decisions, now, SERVER_ORIGIN);
  for (const v of decisions) {
    if (!v.ok) {
      refuse(
        Root.decisionRequests,
        v.request.id,
        v.code,
        `decision on approval ${v.request.record.approvalId} refused: ${v.code}`,
      );
    }
  }
  const closes = judgeCloseRequests(doc, directory, now);
  for (const v of closes) {
    if (v.ok) recordClosure(doc, v.request.record, now, SERVER_ORIGIN, deadlines);
    else refuse(Root.closeRequests, v.request.id, v.refusal.code, `closing the group refused: ${v.refusal.code}`);
  }
  // LATE-3: the first acceptable seal request seals the closed group.
  for (const v of judgeSealRequests(doc, directory)) {
    if (v.ok) recordSeal(doc, v.request.record, now, SERVER_ORIGIN);
    else refuse(Root.sealRequests, v.request.id, v.code, `sealing the group refused: ${v.code}`);
  }
  recordRefusals(doc, verdicts, now, SERVER_ORIGIN);
  return refusals;
}

/** Roots whose change has every view derived from the whole document again (a group's own facts: rare). */
const WHOLE: readonly string[] = [
  Root.meta,
  Root.invitations,
  Root.signoffs,
  Root.supervisions,
  Root.events,
  Root.refusals,
];
/** Roots the next deadline (ESC-4) depends on. */
const DEADLINE: readonly string[] = [Root.meta, Root.invitations, Root.signoffs, Root.events];
/** Roots the access row depends on. */
const ACCESS: readonly string[] = [Root.meta, Root.invitations];

/** What the workflow keeps per loaded group document between commits. */
interface GroupViews {
  /** The directory the views were derived with: another one (a duty change, an import) derives them again. */
  directory: Directory;
  access: GroupAccess | null;
  /** A registration or a delivery failed: the next commit derives everything again, so nothing is lost. */
  stale: boolean;
}

export function workflowExtension(o: WorkflowOptions): Extension {
  const views = new WeakMap<Y.Doc, GroupViews>();
  const markStale = (doc: Y.Doc): void => {
    const v = views.get(doc);
    if (v) v.stale = true;
  };

  /**
   * PERF-1: after a commit, the views are kept up to date from what it changed (`changes`; null: derive everything,
   * as on load): new entries and look-up pushes are looked at alone; a change of the group record, invitations,
   * sign-offs (ATT-3 withdrawals), supervisions, server events or refusals, or of the directory, derives everything
   * from the whole document.
   */
  const afterCommit = (document: DocumentHandle, changes: ReadonlyChangedKeys | null): void => {
    const doc = document.doc;
    const directory = o.directory();
    const before = views.get(doc);
    const changed = changes ? changedRecords(changes) : null;
    const whole =
      changed === null || !before || before.stale || before.directory !== directory || touchesAny(changed, WHOLE);
    const view: GroupViews = { directory, access: before?.access ?? null, stale: false };
    views.set(doc, view);
    if (whole || touchesAny(changed, DEADLINE)) {
      o.scheduler.update(document.name, nextDeadline(doc, undefined, o.deadlines));
    }
    if (whole || touchesAny(changed, ACCESS)) {
      const a = groupAccessOf(doc);
      if (a && !sameAccess(a, view.access)) {
        view.access = a;
        o.store
          .setGroupAccess(a)
          .catch((error: unknown) => o.log.error('could not store group access', { error: errorText(error) }));
      }
    }
    const entries = changed?.get(Root.entries);
    const pushes = changed?.get(Root.lookupPushes);
    // REMIND-2: each new 催办 goes to whom its clue or invitation still awaits (all of them on a whole derivation).
    const reminders = changed?.get(Root.reminders);
    if (whole || reminders?.size) {
      void o.inbox
        .deliver(reminderDeliveries(doc, directory, whole ? undefined : (reminders ?? [])))
        .then((delivered) => delivered || markStale(doc));
    }
    if (!whole && !entries?.size && !pushes?.size) return;
    const a = view.access;
    if (a && o.registerAddressees) {
      const scope = whole ? undefined : { entries: entries ?? [], lookupPushes: pushes ?? [] };
      const addressees = groupAddressees(doc, directory, scope);
      if (whole || addressees.persons.length > 0 || addressees.posts.length > 0) {
        // Before the inbox items go out, so an addressee who follows one finds the door open.
        o.registerAddressees(a.groupId, addressees)
          .then((registered) => registered === false && markStale(doc))
          .catch((error: unknown) => {
            markStale(doc);
            o.log.error('could not register addressees', { error: errorText(error) });
          });
      }
    }
    if (whole || entries?.size) {
      void o.inbox
        .deliver(inboxDeliveries(doc, directory, o.deadlines, whole ? undefined : { entries: entries ?? [] }))
        .then((delivered) => delivered || markStale(doc));
    }
  };

  /** KEEP-2: records the legal holds asked for and audits each (`legal-hold`, placed or lifted, with the reason). */
  const holds = (document: DocumentHandle, actor: string | null): void => {
    for (const h of recordHolds(document.doc, o.directory(), o.clock.now(), SERVER_ORIGIN)) {
      o.audit?.note({
        action: AuditAction.legalHold,
        actor: actor ?? h.by.personId,
        docName: document.name,
        detail: { requestId: h.requestId, on: h.on, reason: h.reason, postId: h.postId },
      });
    }
  };

  return {
    name: 'workflow',
    phase: 'workflow',
    onLoadDocument({ document }) {
      if (!isGroup(document)) return;
      // Requests that reached the store before a crash are judged now (no one to tell).
      runJudgements(document.doc, o.directory(), o.clock.now(), null, o.deadlines);
      holds(document, null);
      recordClueRecipients(document.doc, o.directory(), o.clock.now(), SERVER_ORIGIN);
      afterCommit(document, null);
    },
    afterApply({ connection, document, transaction }) {
      if (!isGroup(document)) return;
      const fresh = new Set<string>();
      const signOffs = new Set<string>();
      let holdRequests = false;
      const entries = new Set<string>();
      for (const r of changedRefs(document.doc, transaction)) {
        if (r.collection === Root.signoffs) signOffs.add(r.id);
        if (r.collection === Root.entries) entries.add(r.id);
        if (r.collection === Root.holdRequests) holdRequests = true;
        if (
          r.collection === Root.decisionRequests ||
          r.collection === Root.closeRequests ||
          r.collection === Root.sealRequests ||
          r.collection === Root.supervisions
        ) {
          fresh.add(`${r.collection}/${r.id}`);
        }
      }
      if (o.audit) {
        const p = connection.principal.sub;
        auditAttestedVerdicts(o.audit, document, p, signOffs, o.deadlines);
      }
      // CLUE-5: whom an accepted clue went to, resolved once from the directory now, for every member to see.
      // PERF-1: of the entries this update brought only.
      if (entries.size) recordClueRecipients(document.doc, o.directory(), o.clock.now(), SERVER_ORIGIN, entries);
      if (holdRequests) holds(document, connection.principal.sub);
      // Only new requests are judged: a refused close request does not close the group later by itself.
      if (fresh.size === 0) return;
      const refusals = runJudgements(document.doc, o.directory(), o.clock.now(), fresh, o.deadlines);
      for (const r of refusals) tell(connection, r, o.log);
    },
    onStoreUpdate({ document, changes }) {
      if (isGroup(document)) afterCommit(document, changes);
    },
  };
}

function tell(connection: ConnectionHandle, r: { code: string; message: string }, log: Logger): void {
  log.info('request refused', { person: connection.principal.sub, doc: connection.docName, code: r.code });
  connection.notice({ kind: 'refused', code: r.code, message: r.message });
}
