/** The group-list row of a group document, derived with core views (refreshed whenever it is persisted). */
import type * as Y from 'yjs';
import { Root, entryCount, listStatusOf, readMeta } from '@muster/core';
import type { ReadonlyChangedKeys } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';

export function groupSummaryOf(doc: Y.Doc, groupId: string, updatedAt: number): GroupSummary | null {
  const meta = readMeta(doc);
  if (!meta || meta.id !== groupId) return null;
  return {
    id: meta.id,
    title: meta.title,
    kind: meta.kind,
    initiatorName: meta.initiator.name,
    createdAt: meta.deviceTime,
    updatedAt,
    entryCount: entryCount(doc),
    status: listStatusOf(doc),
  };
}

/**
 * HIST-1: whether a commit's changes may move the list status (invitations, sign-offs, their stamps, closure, the
 * legal hold KEEP-2).
 */
export function touchesListStatus(changes: ReadonlyChangedKeys): boolean {
  if (changes.has(Root.invitations) || changes.has(Root.signoffs) || changes.has(Root.closure)) return true;
  if (changes.has(Root.hold)) return true;
  for (const key of changes.get(Root.stamps) ?? []) {
    if (key.startsWith(`${Root.invitations}/`) || key.startsWith(`${Root.signoffs}/`)) return true;
  }
  return false;
}
