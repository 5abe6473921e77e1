/**
 * POL-1 the definitions every act of the policy is judged over: who acts (`ActingPerson`), what the server knows of
 * a group (`GroupFacts`), a verdict, read-only roles, duty, oversight, leader and who runs a group.
 */
import type { Directory, Post } from '../directory.ts';

/** The person acting, as the server's token says (never as a record says). */
export interface ActingPerson {
  personId: string;
  unitId: string;
  roles: readonly string[];
}

/**
 * What the server knows of a group's membership: the relay's registry (`group_members`), or, on a device, the same
 * derived from the document (`groupFactsOf`).
 */
export interface GroupFacts {
  initiator: string | null;
  unitId: string | null;
  /** Posts invited to the group. */
  posts: ReadonlySet<string>;
  /** Persons the group addresses (instructions, tasks, clues). */
  persons: ReadonlySet<string>;
  /** Posts the group addresses (instructions, escalations): persons on duty there may open it. */
  addressedPosts: ReadonlySet<string>;
  /** Leader posts supervising the group (accepted supervisions); absent when unknown. */
  supervisorPosts?: ReadonlySet<string>;
}

export type Verdict = { ok: true } | { ok: false; code: string; reason: string };

export const OK: Verdict = { ok: true };
export const no = (code: string, reason: string): Verdict => ({ ok: false, code, reason });

/** Roles that read every group and write into none (auditors, admins). */
export const READ_ONLY_ROLES: readonly string[] = ['auditor', 'admin'];
export const hasReadOnlyRole = (s: Pick<ActingPerson, 'roles'>): boolean =>
  s.roles.some((r) => READ_ONLY_ROLES.includes(r));
/** Only read-only roles: such a person never starts or writes into a group. */
export const onlyReadOnlyRoles = (s: Pick<ActingPerson, 'roles'>): boolean =>
  s.roles.length > 0 && s.roles.every((r) => READ_ONLY_ROLES.includes(r));

// ---------------------------------------------------------------------------------------------------------------
// Definitions: duty, oversight, leader, runs the group
// ---------------------------------------------------------------------------------------------------------------

/** Duty (DIR-4): on duty at the post now. */
export const onDuty = (dir: Directory, personId: string, postId: string): boolean => dir.isOnDuty(personId, postId);

/** Oversight (SUP-1): `unitId` is `overUnitId` or below it. */
export const oversees = (dir: Directory, overUnitId: string, unitId: string): boolean =>
  dir.oversees(overUnitId, unitId);

/** The units a person belongs to: their own and those of the posts they staff. */
export function unitsOf(dir: Directory, s: ActingPerson): string[] {
  const person = dir.person(s.personId);
  return [s.unitId, ...(person?.postIds ?? []).map((p) => dir.post(p)?.unitId ?? '')].filter((u) => u !== '');
}

/** Leader of a group's unit: the leader role, and their unit (or a staffed post's unit) oversees it. */
export function isLeaderOf(dir: Directory, s: ActingPerson, groupUnitId: string | null): boolean {
  if (!s.roles.includes('leader') || groupUnitId === null) return false;
  return unitsOf(dir, s).some((u) => oversees(dir, u, groupUnitId));
}

/** A leader acting from `postId`: on duty at that leader post, whose unit oversees the group's unit. */
export function actsAsOverseeingLeader(dir: Directory, personId: string, postId: string, groupUnitId: string): boolean {
  const post = dir.post(postId);
  return !!post && post.kind === 'leader' && onDuty(dir, personId, postId) && oversees(dir, post.unitId, groupUnitId);
}

/** A leader post of this group: a leader post whose unit oversees the group's unit, or invited or supervising. */
export function isGroupLeaderPost(dir: Directory, postId: string, g: GroupFacts): boolean {
  const post = dir.post(postId);
  if (!post || post.kind !== 'leader' || g.unitId === null) return false;
  return oversees(dir, post.unitId, g.unitId) || g.posts.has(postId) || !!g.supervisorPosts?.has(postId);
}

/** A leader acting from `postId` in this group: on duty at a leader post of the group. */
export function actsAsGroupLeader(dir: Directory, personId: string, postId: string | null, g: GroupFacts): boolean {
  return postId !== null && isGroupLeaderPost(dir, postId, g) && onDuty(dir, personId, postId);
}

/** An invited management post: whoever is on duty there runs, closes and seals the group. */
export function isInvitedManagementPost(dir: Directory, postId: string, g: GroupFacts): boolean {
  return g.posts.has(postId) && dir.post(postId)?.kind === 'management';
}

/** Invited management posts the person is on duty at. */
export function managementPostsOf(dir: Directory, personId: string, g: GroupFacts): Post[] {
  return [...g.posts].flatMap((id) => {
    const p = dir.post(id);
    return p && isInvitedManagementPost(dir, id, g) && onDuty(dir, personId, id) ? [p] : [];
  });
}

/** Runs the group: the initiator, on duty at an invited management post, or a leader of the group. */
export function runsGroup(dir: Directory, s: ActingPerson, g: GroupFacts): boolean {
  return g.initiator === s.personId || managementPostsOf(dir, s.personId, g).length > 0 || isLeaderOf(dir, s, g.unitId);
}
