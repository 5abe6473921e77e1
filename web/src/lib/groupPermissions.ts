/**
 * What the logged-in person may do in a group, as the interface offers it: every answer is the core policy's
 * (packages/core/src/policy.ts, POL-1); nothing here decides a rule. The relay asks the same functions again.
 */
import {
  groupFactsOf,
  managementPostsOf,
  mayCloseGroup,
  mayDecideApproval,
  mayInvite,
  maySign,
  maySupervise,
  readMeta,
} from '@muster/core';
import type { ActingPerson, Directory } from '@muster/core';
import type * as Y from 'yjs';

export interface GroupPermissions {
  /** I started the group. */
  initiator: boolean;
  /** Invited management posts I am on duty at. */
  managementPostIds: string[];
  canInvite: boolean;
  /** Leader posts I am on duty at from which I may supervise the group. */
  supervisePostIds: string[];
  /** Leader posts from which I may decide approvals. */
  decidePostIds: string[];
  canClose: boolean;
  /** The post I close for (a management desk), or null as the initiator. */
  closePostId: string | null;
  /** Invited posts I may sign for. */
  signPostIds: string[];
}

export const NO_PERMISSIONS: GroupPermissions = {
  initiator: false,
  managementPostIds: [],
  canInvite: false,
  supervisePostIds: [],
  decidePostIds: [],
  canClose: false,
  closePostId: null,
  signPostIds: [],
};

export function groupPermissions(doc: Y.Doc, directory: Directory, person: ActingPerson): GroupPermissions {
  const meta = readMeta(doc);
  if (!meta) return NO_PERMISSIONS;
  const g = groupFactsOf(doc);
  const me = person.personId;
  const managementPostIds = managementPostsOf(directory, me, g).map((p) => p.id);
  const leaderPosts = directory.dutyPostsOf(me).filter((p) => p.kind === 'leader');
  const closePostId = managementPostIds.find((id) => mayCloseGroup(directory, me, id, g)) ?? null;
  return {
    initiator: g.initiator === me,
    managementPostIds,
    canInvite: mayInvite(directory, person, g).ok,
    supervisePostIds: leaderPosts.filter((p) => maySupervise(directory, me, p.id, meta.unitId)).map((p) => p.id),
    decidePostIds: leaderPosts.filter((p) => mayDecideApproval(directory, me, p.id, g)).map((p) => p.id),
    canClose: mayCloseGroup(directory, me, closePostId, g),
    closePostId,
    signPostIds: [...g.posts].filter((id) => maySign(directory, person, g, id).ok),
  };
}
