/**
 * ACL-2: membership is registered from records the server accepted (the group record and its invitations), after
 * they are applied (AUDIT-8: in the commit of the update that brought them); the records that are server facts (sign-offs, decision and close requests) are audited.
 */
import type * as Y from 'yjs';
import { META_KEY, Root, readMeta } from '@muster/core';
import { groupDocName, parseDocName } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { DocumentHandle } from '../relay/types.ts';
import type { GroupMember, Store } from '../store/store.ts';
import type { AccessControl } from './access.ts';

/** Membership rows a group's server-side state implies: its record and its registered invitations. */
export function rowsFromDoc(doc: Y.Doc, keys?: Iterable<string>): Omit<GroupMember, 'groupId'>[] {
  const out: Omit<GroupMember, 'groupId'>[] = [];
  const at = Date.now();
  const meta = readMeta(doc);
  const wantedKeys = keys ? [...keys] : null;
  if (meta && (!wantedKeys || wantedKeys.includes(`${Root.meta}/${META_KEY}`))) {
    out.push({ kind: 'initiator', ref: meta.initiator.personId, at });
    out.push({ kind: 'unit', ref: meta.unitId, at });
  }
  const invitations = doc.getMap(Root.invitations);
  const prefix = `${Root.invitations}/`;
  const wanted = wantedKeys ? wantedKeys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)) : null;
  for (const key of wanted ?? invitations.keys()) {
    const inv = invitations.get(key) as { post?: { id?: unknown } } | undefined;
    if (typeof inv?.post?.id === 'string') out.push({ kind: 'post', ref: inv.post.id, at });
  }
  return out;
}

/** Registers the members a document's records imply (all, or those of `keys`) and audits the new ones. */
export async function registerMembers(
  access: AccessControl,
  audit: Auditor,
  document: DocumentHandle,
  keys?: Iterable<string>,
): Promise<void> {
  const group = parseDocName(document.name);
  if (!group) return;
  const rows = rowsFromDoc(document.doc, keys);
  if (rows.length === 0) return;
  const fresh = await access.register(group.id, rows);
  for (const r of fresh) {
    audit.note({
      action: r.kind === 'initiator' ? AuditAction.groupCreated : AuditAction.memberRegistered,
      actor: null,
      docName: document.name,
      detail: { kind: r.kind, ref: r.ref },
    });
  }
}

/**
 * AUDIT-8: registers the members the records of `keys` imply in the store's commit of the update that brought them
 * (call from `afterApply`), each new one with its audit row, and tells the membership held in memory at once.
 */
export function registerWithCommit(
  access: AccessControl,
  audit: Auditor,
  document: DocumentHandle,
  keys: Iterable<string>,
): Promise<unknown> {
  const group = parseDocName(document.name);
  if (!group) return Promise.resolve();
  const rows = rowsFromDoc(document.doc, keys);
  if (rows.length === 0) return Promise.resolve();
  // Every row these keys imply goes to the store, which alone says which are new (a commit that failed leaves
  // the memory ahead of the store, so memory cannot decide).
  for (const r of rows) {
    audit.memberWithCommit(
      document,
      { ...r, groupId: group.id },
      {
        action: r.kind === 'initiator' ? AuditAction.groupCreated : AuditAction.memberRegistered,
        actor: null,
        docName: document.name,
        detail: { kind: r.kind, ref: r.ref },
      },
    );
  }
  return access.remember(group.id, rows);
}

/**
 * ACL-8, AUDIT-8: registers the persons and posts a group addresses (found after a commit, or on load) in one store
 * transaction with the audit row of each new one (an append without updates, under the owner's fence): a node
 * killed before it leaves neither, and the next owner's load finds them again. Resolves to false when the group
 * itself is not registered yet.
 */
export async function registerAddressees(
  access: AccessControl,
  audit: Auditor,
  store: Pick<Store, 'appendUpdates'>,
  groupId: string,
  addressees: { persons: readonly string[]; posts: readonly string[] },
): Promise<boolean> {
  const rows = await access.rememberAddressees(groupId, addressees);
  if (rows === null) return false;
  if (rows.length === 0) return true;
  const docName = groupDocName(groupId);
  const members = rows.map((member) => ({
    member,
    audit: audit.input({
      action: AuditAction.memberRegistered,
      actor: null,
      docName,
      detail: { kind: member.kind, ref: member.ref },
    }),
  }));
  await store.appendUpdates([{ docName, updates: [], members }]);
  return true;
}

/** Audits the records of `keys` that are server facts: sign-offs, decision and close requests, 催办 (AUDIT-7). */
export function auditRecords(audit: Auditor, document: DocumentHandle, actor: string, keys: readonly string[]): void {
  for (const k of keys) {
    const [collection, id] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
    const action =
      collection === Root.signoffs
        ? AuditAction.signOff
        : collection === Root.decisionRequests
          ? AuditAction.decisionRequest
          : collection === Root.closeRequests
            ? AuditAction.closeRequest
            : collection === Root.reminders
              ? AuditAction.reminder
              : null;
    if (!action) continue;
    const rec = document.doc.getMap(collection).get(id) as Record<string, unknown> | undefined;
    // AUDIT-7: with the update that brought the record, so a node killed before its commit leaves no row behind.
    audit.withCommit(document, {
      action,
      actor,
      docName: document.name,
      detail: {
        id,
        postId: rec?.['postId'] ?? null,
        decision: rec?.['decision'] ?? undefined,
        refKind: rec?.['refKind'] ?? undefined,
        refId: rec?.['refId'] ?? undefined,
      },
    });
  }
}
