/** POL-3..POL-14: one function per act of a person in a group, over the definitions (definitions.ts). */
import { unitClueRecipients } from '../clues.ts';
import type { Directory } from '../directory.ts';
import type { Addressee } from '../schema.ts';
import {
  OK,
  actsAsGroupLeader,
  actsAsOverseeingLeader,
  hasReadOnlyRole,
  isInvitedManagementPost,
  no,
  onDuty,
  onlyReadOnlyRoles,
  oversees,
  runsGroup,
  unitsOf,
  isLeaderOf,
} from './definitions.ts';
import type { ActingPerson, GroupFacts, Verdict } from './definitions.ts';

export type OpenMode = 'write' | 'read' | 'create' | 'none';

/**
 * POL-3 open: write for the initiator, registered persons, persons staffing an invited post, persons on duty at
 * an addressed post and leaders of the group; read for read-only roles; none otherwise. `g === null`: the server
 * has not registered the group; `exists` whether it holds any of it (else it may be created, CREATE).
 */
export function mayOpen(
  dir: Directory,
  s: ActingPerson,
  g: GroupFacts | null,
  exists = true,
): { mode: OpenMode; reason: string } {
  if (g === null || g.initiator === null) {
    if (exists)
      return hasReadOnlyRole(s) ? { mode: 'read', reason: 'auditor' } : { mode: 'none', reason: 'unregistered' };
    if (onlyReadOnlyRoles(s)) return { mode: 'read', reason: 'auditor' };
    return { mode: 'create', reason: 'new-group' };
  }
  if (g.initiator === s.personId) return { mode: 'write', reason: 'initiator' };
  if (g.persons.has(s.personId)) return { mode: 'write', reason: 'member' };
  const person = dir.person(s.personId);
  for (const postId of g.posts) {
    if (onDuty(dir, s.personId, postId) || person?.postIds.includes(postId))
      return { mode: 'write', reason: 'invited-post' };
  }
  for (const postId of g.addressedPosts) {
    if (onDuty(dir, s.personId, postId)) return { mode: 'write', reason: 'addressed-post' };
  }
  if (isLeaderOf(dir, s, g.unitId)) return { mode: 'write', reason: 'overseeing-leader' };
  if (hasReadOnlyRole(s)) return { mode: 'read', reason: 'auditor' };
  return { mode: 'none', reason: 'not-a-member' };
}

/** POL-3 start a group: the record names the subject as initiator, for their unit or one above it. */
export function mayStart(dir: Directory, s: ActingPerson, groupUnitId: string | null): Verdict {
  if (onlyReadOnlyRoles(s)) return no('read-only-role', 'auditors and admins do not start groups');
  // A unit the directory does not know gives no one access through it; a known one must be the person's or above.
  const known = groupUnitId !== null && dir.unit(groupUnitId) !== null;
  const allowed = groupUnitId !== null && (!known || unitsOf(dir, s).some((u) => oversees(dir, groupUnitId, u)));
  if (!allowed) {
    return no('foreign-unit', `a group may be started for your own unit or one above it, not ${groupUnitId ?? 'none'}`);
  }
  return OK;
}

/** POL-4 invite a post: whoever runs the group (the initiator, an invited management desk, a leader of the group). */
export function mayInvite(dir: Directory, s: ActingPerson, g: GroupFacts): Verdict {
  if (runsGroup(dir, s, g)) return OK;
  return no('may-not-invite', 'only the initiator, an invited management post or an overseeing leader invites posts');
}

/**
 * POL-20 re-notify (催办, REMIND-1) a clue or an invitation: whoever runs the group, or the person who sent the clue
 * or made the invitation (`authorId`).
 */
export function mayRemind(dir: Directory, s: ActingPerson, g: GroupFacts, authorId: string): Verdict {
  if (s.personId === authorId || runsGroup(dir, s, g)) return OK;
  return no('may-not-remind', 'only whoever runs the group or the sender of the clue or invitation re-notifies it');
}

/**
 * POL-21 place or lift a legal hold on a group (KEEP-2): a leader acting in the group, from a leader post of it
 * (on duty there), whether the group is open, closed or sealed.
 */
export function mayHold(dir: Directory, s: ActingPerson, g: GroupFacts, postId: string | null): Verdict {
  if (actsAsGroupLeader(dir, s.personId, postId, g)) return OK;
  return no('may-not-hold', 'only a leader on duty at a leader post of this group places or lifts a legal hold');
}

/** POL-5 sign for a post: on duty at that post, and the post is invited to the group. */
export function maySign(dir: Directory, s: ActingPerson, g: GroupFacts, postId: string | null): Verdict {
  if (!postId || !onDuty(dir, s.personId, postId))
    return no('not-on-duty', `you are not on duty at post ${postId ?? '(none)'}`);
  if (!g.posts.has(postId)) return no('not-invited', `post ${postId} is not invited to this group`);
  return OK;
}

/** POL-6 supervise: on duty at a leader post whose unit oversees the group's unit. */
export function maySupervise(dir: Directory, personId: string, postId: string, groupUnitId: string): boolean {
  return actsAsOverseeingLeader(dir, personId, postId, groupUnitId);
}

/**
 * POL-6 instruct (批示): a leader acting in the group (from `postId`). Addressees: posts invited to or addressed
 * by the group, or of a unit the leader's post oversees; persons of the group, or of a unit the post oversees.
 */
export function mayInstruct(
  dir: Directory,
  s: ActingPerson,
  g: GroupFacts,
  postId: string | null,
  to: readonly Addressee[],
): Verdict {
  if (!actsAsGroupLeader(dir, s.personId, postId, g)) {
    return no('not-a-leader', 'only a leader on duty at a leader post of this group gives instructions');
  }
  const leaderUnit = dir.post(postId!)!.unitId;
  for (const a of to) {
    if (a.kind === 'post') {
      const post = dir.post(a.id);
      if (g.posts.has(a.id) || g.addressedPosts.has(a.id) || (post && oversees(dir, leaderUnit, post.unitId))) continue;
    } else {
      const person = dir.person(a.id);
      if (g.initiator === a.id || g.persons.has(a.id) || (person && oversees(dir, leaderUnit, person.unitId))) continue;
    }
    return no('foreign-addressee', `${a.kind} ${a.id} is outside what your post oversees and not in this group`);
  }
  return OK;
}

/** POL-7 acknowledge (or mark seen) an instruction or a clue: for yourself, or for a post you are on duty at. */
export function mayAcknowledge(dir: Directory, s: ActingPerson, postId: string | null): Verdict {
  if (postId !== null && !onDuty(dir, s.personId, postId)) {
    return no('not-on-duty', `you acknowledge for post ${postId} only while on duty there`);
  }
  return OK;
}

/**
 * POL-8 push a clue: any member who writes the group; to units the group reaches (`clueTargetUnits`).
 * The recipients are the patrol officers of those units (`clueRecipientIds`).
 */
export function mayPushClue(dir: Directory, s: ActingPerson, g: GroupFacts, targetUnitIds: readonly string[]): Verdict {
  const allowed = new Set(clueTargetUnits(dir, s, g));
  const bad = targetUnitIds.filter((u) => !allowed.has(u));
  if (bad.length > 0) return no('foreign-unit', `a clue goes to units this group reaches, not ${bad.join(', ')}`);
  return OK;
}

/**
 * POL-8 the units a clue may go to: every unit of the directory that exists (outside units included). The
 * directory decides which units a group reaches; a person widens a group through a clue only by naming units.
 */
export function clueTargetUnits(dir: Directory, _s: ActingPerson, _g: GroupFacts): string[] {
  return dir.data.units.map((u) => u.id);
}

/**
 * POL-8 to whom a clue goes (CLUE-2): the patrol officers of each target unit, or where a unit has none (an outside
 * unit such as the airport police), whoever is on duty at its posts.
 */
export function clueRecipientIds(dir: Directory, targetUnitIds: readonly string[]): string[] {
  return unitClueRecipients(dir, targetUnitIds).map((p) => p.id);
}

/** POL-9 assign a task: whoever runs the group, or any member for a task of their own post or themselves. */
export function mayAssignTask(dir: Directory, s: ActingPerson, g: GroupFacts, assignee: Addressee): Verdict {
  if (runsGroup(dir, s, g)) return OK;
  if (assignee.kind === 'person' ? assignee.id === s.personId : onDuty(dir, s.personId, assignee.id)) return OK;
  return no('may-not-assign', 'only whoever runs the group assigns tasks to others');
}

/** Is the person the task's assignee (the person, or on duty at the assigned post)? */
const isAssignee = (dir: Directory, personId: string, assignee: Addressee): boolean =>
  assignee.kind === 'person' ? assignee.id === personId : onDuty(dir, personId, assignee.id);

/** POL-9 complete a task: its assignee, its author, or whoever runs the group. */
export function mayCompleteTask(
  dir: Directory,
  s: ActingPerson,
  g: GroupFacts,
  task: { assignee: Addressee; author: { personId: string } },
): Verdict {
  if (isAssignee(dir, s.personId, task.assignee) || task.author.personId === s.personId || runsGroup(dir, s, g))
    return OK;
  return no('not-your-task', 'a task is completed by its assignee, its author or whoever runs the group');
}

/** POL-9 waive a task (closure is gated on tasks): its author or whoever runs the group, never another member. */
export function mayWaiveTask(
  dir: Directory,
  s: ActingPerson,
  g: GroupFacts,
  task: { author: { personId: string } },
): Verdict {
  if (task.author.personId === s.personId || runsGroup(dir, s, g)) return OK;
  return no('not-your-task', 'a task is waived by its author or whoever runs the group');
}

/** POL-10 request an approval: any member who writes the group. */
export function mayRequestApproval(): Verdict {
  return OK;
}

/** POL-10 decide an approval: a leader acting in the group from `postId`. */
export function mayDecideApproval(dir: Directory, personId: string, postId: string, g: GroupFacts): boolean {
  return actsAsGroupLeader(dir, personId, postId, g);
}

/** POL-11 close: the initiator, or a person on duty at an invited management post (`postId`). */
export function mayCloseGroup(dir: Directory, personId: string, postId: string | null, g: GroupFacts): boolean {
  if (g.initiator === personId) return true;
  return postId !== null && isInvitedManagementPost(dir, postId, g) && onDuty(dir, personId, postId);
}

/** POL-12 seal a closed group's record: a leader acting in the group, or an invited management desk on duty. */
export function maySeal(dir: Directory, personId: string, postId: string | null, g: GroupFacts): boolean {
  if (postId === null) return false;
  if (actsAsGroupLeader(dir, personId, postId, g)) return true;
  return isInvitedManagementPost(dir, postId, g) && onDuty(dir, personId, postId);
}

/**
 * POL-18 write a lesson of the review (REVIEW-3): once the group is closed, by whoever runs it (the initiator, a
 * person on duty at an invited management post, a leader of the group) or a leader on duty at a post supervising it.
 */
export function mayWriteLesson(dir: Directory, s: ActingPerson, g: GroupFacts, closed: boolean): Verdict {
  if (!closed) return no('not-closed', 'lessons are written once the group is closed');
  if (runsGroup(dir, s, g)) return OK;
  if ([...(g.supervisorPosts ?? [])].some((p) => onDuty(dir, s.personId, p))) return OK;
  return no('not-allowed', 'lessons are written by the initiator, the management desk and the leaders of the group');
}

/**
 * POL-13 read the directory (DIR-6): what of the roster a person sees. `all` for desks, leaders and read-only roles
 * of the police's own units; everyone else, and everyone of an outside unit (airport police, government services:
 * their desks included), sees every unit and post, and the persons of their own unit.
 */
export function directoryScope(
  s: ActingPerson,
  dir?: Directory,
): { persons: 'all' | 'own-unit'; policeNumbers: 'all' | 'own-unit' } {
  const outside = dir?.unit(s.unitId)?.kind === 'outside';
  const wide = !outside && (s.roles.some((r) => r === 'desk' || r === 'leader') || hasReadOnlyRole(s));
  return wide ? { persons: 'all', policeNumbers: 'all' } : { persons: 'own-unit', policeNumbers: 'own-unit' };
}

/** POL-14 read the audit log: auditors only. */
export function mayReadAudit(s: Pick<ActingPerson, 'roles'>): Verdict {
  return s.roles.includes('auditor') ? OK : no('not-an-auditor', 'only auditors read the audit log');
}

/** POL-19 administer the server (revoke sessions, move a manual test clock): admins only. */
export function mayAdminister(s: Pick<ActingPerson, 'roles'>): Verdict {
  return s.roles.includes('admin') ? OK : no('not-an-admin', 'only an administrator does this');
}
