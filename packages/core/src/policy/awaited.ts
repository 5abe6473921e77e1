/**
 * POL-17 who an act of a group waits on: the interface names them ("等待 X 办结") instead of offering a control a
 * person may never use. Each answer comes from the same post predicates the acts use (definitions.ts).
 */
import type { Directory, Post } from '../directory.ts';
import { isGroupLeaderPost, isInvitedManagementPost } from './definitions.ts';
import type { GroupFacts } from './definitions.ts';

/** The persons and posts an act of a group waits on (whoever is on duty at a post acts for it). */
export interface Awaited {
  personIds: string[];
  postIds: string[];
}

/** POL-11 who closes the group (`mayCloseGroup`): the initiator, and the invited management posts. */
export function awaitedClosers(dir: Directory, g: GroupFacts): Awaited {
  return {
    personIds: g.initiator === null ? [] : [g.initiator],
    postIds: [...g.posts].filter((id) => isInvitedManagementPost(dir, id, g)),
  };
}

/** POL-4 who invites posts (`mayInvite`): the initiator, invited management posts and the group's leader posts. */
export function awaitedInviters(dir: Directory, g: GroupFacts): Awaited {
  const closers = awaitedClosers(dir, g);
  return { personIds: closers.personIds, postIds: [...closers.postIds, ...awaitedDeciders(dir, g).postIds] };
}

/**
 * POL-10 who decides an approval (`mayDecideApproval`): the leader posts of the group, invited and supervising
 * ones first, then overseeing ones from the group's unit upwards.
 */
export function awaitedDeciders(dir: Directory, g: GroupFacts): Awaited {
  if (g.unitId === null) return { personIds: [], postIds: [] };
  const depth = new Map(dir.ancestry(g.unitId).map((u, k) => [u.id, k]));
  const rank = (p: Post): number =>
    g.posts.has(p.id) || g.supervisorPosts?.has(p.id) ? -1 : (depth.get(p.unitId) ?? Number.MAX_SAFE_INTEGER);
  const posts = dir.data.posts.filter((p) => isGroupLeaderPost(dir, p.id, g));
  return { personIds: [], postIds: posts.sort((a, b) => rank(a) - rank(b)).map((p) => p.id) };
}
