/**
 * Who a group concerns, for the group list: its initiator, persons on duty at an invited post, and leaders on duty at
 * a leader post whose unit is the group's unit or above it (SUP-1). Admins and auditors see every group.
 */
import type * as Y from 'yjs';
import { Root, readMeta, rootMap } from '@muster/core';
import type { Directory } from '@muster/core';
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

/** Whether a person (with these roles) sees the group in their list. */
export function mayListGroup(access: GroupAccess, personId: string, roles: readonly string[], d: Directory): boolean {
  if (roles.includes('admin') || roles.includes('auditor')) return true;
  if (access.initiatorId === personId) return true;
  for (const post of d.dutyPostsOf(personId)) {
    if (access.postIds.includes(post.id)) return true;
    if (post.kind === 'leader' && d.oversees(post.unitId, access.unitId)) return true;
  }
  return false;
}
