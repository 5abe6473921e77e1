/**
 * What the logged-in person may do in a group, as the interface offers it, and whom the acts they may not take wait
 * on: every answer is the core policy's (packages/core/src/policy.ts, POL-1); nothing here decides a rule. The relay
 * asks the same functions again. A screen offers a control only when the policy allows the act, and otherwise names
 * whom it waits on ("等待 X 办结"), never a disabled control.
 */
import {
  awaitedClosers,
  awaitedDeciders,
  awaitedInviters,
  groupFactsOf,
  managementPostsOf,
  mayCloseGroup,
  mayDecideApproval,
  mayInstruct,
  mayInvite,
  mayRemind,
  mayHold,
  maySeal,
  maySign,
  maySupervise,
  mayWriteLesson,
  readClosure,
  readMeta,
} from '@muster/core';
import type { ActingPerson, Awaited, Directory } from '@muster/core';
import type * as Y from 'yjs';

export interface GroupPermissions {
  /** I started the group. */
  initiator: boolean;
  /** Invited management posts I am on duty at. */
  managementPostIds: string[];
  canInvite: boolean;
  /** Leader posts I am on duty at from which I may supervise the group. */
  supervisePostIds: string[];
  /** Leader posts from which I may give instructions (批示) in the group. */
  instructPostIds: string[];
  /** Leader posts from which I may decide approvals. */
  decidePostIds: string[];
  canClose: boolean;
  /** The post I close for (a management desk), or null as the initiator. */
  closePostId: string | null;
  /** LATE-3 (POL-12): the post I may seal the closed group's record from (a leader acting in it, or its desk). */
  sealPostId: string | null;
  /** KEEP-2 (POL-21): the leader post I may place or lift a legal hold from, or null. */
  holdPostId: string | null;
  /** Invited posts I may sign for. */
  signPostIds: string[];
  /** REVIEW-3 (POL-18): I may write lessons of the review (the group is closed and I run or lead it). */
  canWriteLesson: boolean;
  /** POL-20: I may re-notify (催办) any clue or invitation of the group (I run it); an author always may his own. */
  remindAny: boolean;
  /** Whom each act waits on, named where the person may not take it. */
  awaiting: { close: Awaited; decide: Awaited; invite: Awaited };
}

const NOBODY: Awaited = { personIds: [], postIds: [] };

export const NO_PERMISSIONS: GroupPermissions = {
  initiator: false,
  managementPostIds: [],
  canInvite: false,
  supervisePostIds: [],
  instructPostIds: [],
  decidePostIds: [],
  canClose: false,
  closePostId: null,
  sealPostId: null,
  holdPostId: null,
  signPostIds: [],
  canWriteLesson: false,
  remindAny: false,
  awaiting: { close: NOBODY, decide: NOBODY, invite: NOBODY },
};

export function groupPermissions(doc: Y.Doc, directory: Directory, person: ActingPerson): GroupPermissions {
  const meta = readMeta(doc);
  if (!meta) return NO_PERMISSIONS;
  const g = groupFactsOf(doc);
  const me = person.personId;
  const managementPostIds = managementPostsOf(directory, me, g).map((p) => p.id);
  const leaderPosts = directory.dutyPostsOf(me).filter((p) => p.kind === 'leader');
  const closePostId = managementPostIds.find((id) => mayCloseGroup(directory, me, id, g)) ?? null;
  const sealPostId =
    [...leaderPosts.map((p) => p.id), ...managementPostIds].find((id) => maySeal(directory, me, id, g)) ?? null;
  return {
    initiator: g.initiator === me,
    managementPostIds,
    canInvite: mayInvite(directory, person, g).ok,
    supervisePostIds: leaderPosts.filter((p) => maySupervise(directory, me, p.id, meta.unitId)).map((p) => p.id),
    instructPostIds: leaderPosts.filter((p) => mayInstruct(directory, person, g, p.id, []).ok).map((p) => p.id),
    decidePostIds: leaderPosts.filter((p) => mayDecideApproval(directory, me, p.id, g)).map((p) => p.id),
    canClose: mayCloseGroup(directory, me, closePostId, g),
    closePostId,
    sealPostId,
    holdPostId: leaderPosts.find((p) => mayHold(directory, person, g, p.id).ok)?.id ?? null,
    signPostIds: [...g.posts].filter((id) => maySign(directory, person, g, id).ok),
    canWriteLesson: mayWriteLesson(directory, person, g, readClosure(doc) !== null).ok,
    remindAny: mayRemind(directory, person, g, '').ok,
    awaiting: {
      close: awaitedClosers(directory, g),
      decide: awaitedDeciders(directory, g),
      invite: awaitedInviters(directory, g),
    },
  };
}
