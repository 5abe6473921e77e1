/**
 * Who a group concerns (its initiator, its unit, the posts invited), read from its document for the store's
 * `group_access` rows (the duty inbox finds a post's groups there).
 */
import type * as Y from 'yjs';
import { Root, readMeta, rootMap } from '@muster/core';
import type { GroupAccess } from '../store/store.ts';

/** The access row of a group document, or null before its group record arrived. */
export function groupAccessOf(doc: Y.Doc): GroupAccess | null {
  const meta = readMeta(doc);
  if (!meta) return null;
  const postIds = new Set<string>();
  for (const v of rootMap(doc, Root.invitations).values()) {
    const id = (v as { post?: { id?: unknown } } | null)?.post?.id;
    if (typeof id === 'string') postIds.add(id);
  }
  return { groupId: meta.id, initiatorId: meta.initiator.personId, unitId: meta.unitId, postIds: [...postIds].sort() };
}

export function sameAccess(a: GroupAccess | null | undefined, b: GroupAccess | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
