/**
 * What the logged-in person may do in a group, as the interface offers it (the relay checks again). Pure over core
 * rules: INV (initiator or management desk invites), SUP-1 (leaders supervise), APR-3 (leaders decide),
 * CLOSE-1 (initiator or management desk closes). Tested in Node.
 */
import { mayClose, mayDecide, maySupervise, readMeta } from '@muster/core';
import type { Directory, InvitationView } from '@muster/core';
import type * as Y from 'yjs';

export interface GroupPermissions {
  /** I started the group. */
  initiator: boolean;
  /** My duty posts that are management posts invited to the group. */
  managementPostIds: string[];
  canInvite: boolean;
  /** Leader posts I am on duty at from which I may supervise the group. */
  supervisePostIds: string[];
  /** Leader posts from which I may decide approvals. */
  decidePostIds: string[];
  canClose: boolean;
  /** The post I close for (a management desk), or null as the initiator. */
  closePostId: string | null;
}

export const NO_PERMISSIONS: GroupPermissions = {
  initiator: false,
  managementPostIds: [],
  canInvite: false,
  supervisePostIds: [],
  decidePostIds: [],
  canClose: false,
  closePostId: null,
};

export function groupPermissions(
  doc: Y.Doc,
  invitations: readonly InvitationView[],
  directory: Directory,
  personId: string,
  dutyPostIds: readonly string[],
): GroupPermissions {
  const meta = readMeta(doc);
  if (!meta) return NO_PERMISSIONS;
  const initiator = meta.initiator.personId === personId;
  const duty = new Set(dutyPostIds);
  const managementPostIds = invitations
    .filter((v) => v.invitation.post.kind === 'management' && duty.has(v.invitation.post.id))
    .map((v) => v.invitation.post.id);
  // the directory may not list my duty yet (older server): trust my duty posts for the offer, the relay decides
  const onDuty = (postId: string) => duty.has(postId) || directory.isOnDuty(personId, postId);
  const leaderPosts = dutyPostIds.filter((id) => directory.post(id)?.kind === 'leader');
  const supervisePostIds = leaderPosts.filter(
    (id) =>
      maySupervise(directory, personId, id, meta.unitId) ||
      (onDuty(id) && directory.oversees(directory.post(id)!.unitId, meta.unitId)),
  );
  const decidePostIds = leaderPosts.filter(
    (id) => mayDecide(doc, directory, personId, id) || invitations.some((v) => v.invitation.post.id === id),
  );
  const closePostId = managementPostIds[0] ?? null;
  return {
    initiator,
    managementPostIds,
    canInvite: initiator || managementPostIds.length > 0,
    supervisePostIds,
    decidePostIds,
    canClose: initiator || closePostId !== null || mayClose(doc, directory, personId, null),
    closePostId,
  };
}
