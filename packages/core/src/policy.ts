/**
 * THE POLICY: who may do what in Muster, decided once, here. The relay's write rules, its workflow judgements,
 * the HTTP API and the web app all call these functions; nothing else re-derives a rule.
 *
 * Definitions (POL-1):
 *  - Roles (`ROLES` in directory.ts): frontline, patrol, desk, leader, admin, auditor. A person may hold several.
 *  - Duty: a person is on duty at a post when the directory's duty roster says so (DIR-4). Acts for a post (sign,
 *    decide, close for a desk, acknowledge for a post) need duty at that post.
 *  - Oversight: a unit oversees another when it is that unit or one of its ancestors (SUP-1).
 *  - Leader: a person holding the `leader` role. A leader *of a group* is a leader whose own unit, or the unit of a
 *    leader post they staff, oversees the group's unit: they may open the group and invite posts. A leader *acts*
 *    (supervises, decides, instructs) from a leader post they are on duty at, whose unit oversees the group's unit,
 *    or that is invited to the group or supervising it.
 *  - Runs the group: the initiator, a person on duty at an invited management post, or a leader of the group.
 *  - Read-only roles: auditors and admins read every group and never write into one.
 *
 * Every act is one function returning a `Verdict`. Every record kind a client may write is one row of
 * `RECORD_RULES` (root → kind → rule); a record in a root or of a kind the table lacks is refused (POL-2).
 *
 * Adding a record kind (for example a new timeline entry type, or a new device-written root):
 *  1. add its type to schema.ts and its parser to validate.ts (the parser is its shape and its size caps);
 *  2. add one row to `RECORD_RULES` below: the author field, the byte cap, the parser and the act it stands for
 *     (a function of this file); for a new root, also add it to `Root` and `STAMPED_COLLECTIONS` in schema.ts;
 *  3. quote the SPEC rule in a test of the act (packages/core/src/policy.test.ts) and add a row to the access
 *     matrix (tests/integration/policy-matrix.test.ts).
 * A root the server alone writes is named `server:…` and needs no row: clients are refused there (STAMP-3).
 */
import type * as Y from 'yjs';
import type { Directory, Post } from './directory.ts';
import { unitClueRecipients } from './clues.ts';
import { InboxRoot } from './inbox.ts';
import { parseLookupPush, parseQuestionRecord } from './lookup/thread.ts';
import { Root, META_KEY, rootMap } from './schema.ts';
import type { Addressee, PostKind } from './schema.ts';
import {
  isObj,
  parseAck,
  parseCloseRequest,
  parseDecisionRequest,
  parseEntry,
  parseInvitation,
  parseMeta,
  parseSealRequest,
  parseSignOff,
  parseSupervision,
  parseTaskEvent,
} from './validate.ts';

// ---------------------------------------------------------------------------------------------------------------
// Who: the subject of an act and what the server knows of a group
// ---------------------------------------------------------------------------------------------------------------

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

const OK: Verdict = { ok: true };
const no = (code: string, reason: string): Verdict => ({ ok: false, code, reason });

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
function unitsOf(dir: Directory, s: ActingPerson): string[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Acts
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// Who an act waits on: the interface names them ("等待 X 办结") instead of offering a control a person may never use
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// Records a client may write (POL-2): one table
// ---------------------------------------------------------------------------------------------------------------

/** What a record rule sees: the writer, the group as the server knows it and the document before the update. */
export interface WriteContext {
  dir: Directory;
  subject: ActingPerson;
  group: GroupFacts;
  /** The document as the server holds it, before the update. */
  doc: Y.Doc;
  /** The update starts the group (it carries the group record): its invitations are the initiator's. */
  starting: boolean;
}

export interface RecordRule {
  /** Field holding the author ({personId, name}); must be the writer. */
  actor: string;
  /** POL-16: the record's JSON may not exceed this many UTF-16 code units. */
  maxChars: number;
  /** Shape and per-field caps (validate.ts); a record that does not parse is refused. */
  parse: (v: unknown) => unknown;
  /** The act the record stands for. */
  allowed: (ctx: WriteContext, record: Record<string, unknown>) => Verdict;
}

const str = (v: Record<string, unknown>, k: string): string | null =>
  typeof v[k] === 'string' ? (v[k] as string) : null;
const memberWrites = (): Verdict => OK;

/** The fields of a photo reference (PHOTO-1): its content address and measures. */
const PHOTO_REF_KEYS = ['hash', 'mime', 'size', 'width', 'height'];

/** Rows for timeline entries (`entries` root), by `type`. */
const ENTRY_RULES: Record<string, Omit<RecordRule, 'actor' | 'parse'>> = {
  finding: {
    maxChars: 40_000,
    // POL-16: photos travel by content address only: a photo is its hash and measures, never bytes or links.
    allowed: (_c, r) => {
      const photos = Array.isArray(r['photos']) ? (r['photos'] as unknown[]) : [];
      const bare = photos.every((p) => isObj(p) && Object.keys(p).every((k) => PHOTO_REF_KEYS.includes(k)));
      return bare ? OK : no('bad-record', 'a photo is referred to by its content address only');
    },
  },
  instruction: {
    maxChars: 40_000,
    allowed: (c, r) => {
      const e = parseEntry(r);
      if (e?.type !== 'instruction') return no('bad-record', 'not an instruction');
      return mayInstruct(c.dir, c.subject, c.group, e.postId, e.to);
    },
  },
  clue: {
    maxChars: 30_000,
    allowed: (c, r) => {
      const e = parseEntry(r);
      return e?.type === 'clue'
        ? mayPushClue(c.dir, c.subject, c.group, e.targetUnitIds)
        : no('bad-record', 'not a clue');
    },
  },
  task: {
    maxChars: 8_000,
    allowed: (c, r) => {
      const e = parseEntry(r);
      return e?.type === 'task' ? mayAssignTask(c.dir, c.subject, c.group, e.assignee) : no('bad-record', 'not a task');
    },
  },
  approval: { maxChars: 100_000, allowed: () => mayRequestApproval() },
};

/**
 * Every record kind a client may write into a group document: root → kind → rule. Timeline entries are keyed by
 * their `type`; other roots have one kind, `*`.
 */
export const RECORD_RULES: Record<string, Record<string, RecordRule>> = {
  [Root.meta]: {
    '*': {
      actor: 'initiator',
      maxChars: 4_000,
      parse: parseMeta,
      allowed: (c, r) => mayStart(c.dir, c.subject, str(r, 'unitId')),
    },
  },
  [Root.entries]: Object.fromEntries(
    Object.entries(ENTRY_RULES).map(([k, rule]) => [k, { ...rule, actor: 'author', parse: parseEntry }]),
  ),
  [Root.invitations]: {
    '*': {
      actor: 'invitedBy',
      maxChars: 4_000,
      parse: parseInvitation,
      allowed: (c) => (c.starting ? OK : mayInvite(c.dir, c.subject, c.group)),
    },
  },
  [Root.signoffs]: {
    '*': {
      actor: 'by',
      maxChars: 2_000,
      parse: parseSignOff,
      allowed: (c, r) => {
        const postId = str(r, 'postId');
        const v = maySign(c.dir, c.subject, c.group, postId);
        if (!v.ok) return v;
        const inv = parseInvitation(rootMap(c.doc, Root.invitations).get(str(r, 'invitationId') ?? ''));
        if (inv && inv.post.id !== postId)
          return no('not-invited', `the invitation is for another post than ${postId}`);
        return OK;
      },
    },
  },
  [Root.acks]: {
    '*': {
      actor: 'by',
      maxChars: 2_000,
      parse: parseAck,
      allowed: (c, r) => mayAcknowledge(c.dir, c.subject, str(r, 'postId')),
    },
  },
  [Root.taskEvents]: {
    '*': {
      actor: 'by',
      maxChars: 12_000,
      parse: parseTaskEvent,
      allowed: (c, r) => {
        const task = parseEntry(rootMap(c.doc, Root.entries).get(str(r, 'taskId') ?? ''));
        if (task?.type !== 'task') return no('no-task', 'no such task in this group');
        return r['kind'] === 'waived'
          ? mayWaiveTask(c.dir, c.subject, c.group, task)
          : mayCompleteTask(c.dir, c.subject, c.group, task);
      },
    },
  },
  // REQ-1: requests are records the workflow judges (SUP-1, APR-3, CLOSE-1 through the functions above) and
  // answers with a decision or a refusal, so a refused request never blocks the device's other work.
  [Root.supervisions]: { '*': { actor: 'by', maxChars: 2_000, parse: parseSupervision, allowed: memberWrites } },
  [Root.decisionRequests]: {
    '*': { actor: 'by', maxChars: 8_000, parse: parseDecisionRequest, allowed: memberWrites },
  },
  [Root.closeRequests]: { '*': { actor: 'by', maxChars: 8_000, parse: parseCloseRequest, allowed: memberWrites } },
  // LATE-3: a seal request is judged by the workflow (POL-12 maySeal) like the requests above.
  [Root.sealRequests]: { '*': { actor: 'by', maxChars: 2_000, parse: parseSealRequest, allowed: memberWrites } },
  // ASSIST-4: any member asks the assistant; which sources answer is the look-up policy's (`sourceRefusal`).
  [Root.questions]: { '*': { actor: 'by', maxChars: 4_000, parse: parseQuestionRecord, allowed: memberWrites } },
  // ASSIST-8: a desk or a leader sends an answer to a member.
  [Root.lookupPushes]: {
    '*': { actor: 'by', maxChars: 6_000, parse: parseLookupPush, allowed: (c) => mayPushLookup(c.subject) },
  },
};

/** Records a device writes into its own inbox document: read markers only (INBOX-2). */
export const INBOX_RECORD_ROOTS: readonly string[] = [InboxRoot.reads];

/** The rule for a record, or null when its root or kind is not one a client may write. */
export function recordRule(root: string, value: unknown): RecordRule | null {
  const kinds = RECORD_RULES[root];
  if (!kinds) return null;
  if (kinds['*']) return kinds['*'];
  const kind = isObj(value) ? value['type'] : undefined;
  return typeof kind === 'string' ? (kinds[kind] ?? null) : null;
}

function actorOf(value: Record<string, unknown>, field: string): string | null {
  const a = value[field];
  if (!isObj(a)) return null;
  return typeof a['personId'] === 'string' ? a['personId'] : null;
}

/**
 * POL-2 write a record: the one check every client record of a group passes on the relay. The root and kind must
 * be in `RECORD_RULES`, the record must fit its size cap and parse, name the writer as its author, and the act it
 * stands for must be allowed. (Write-once and closure are the relay's checks of the update, not of a record.)
 */
export function mayWriteRecord(ctx: WriteContext, root: string, key: string, value: unknown): Verdict {
  const rule = recordRule(root, value);
  if (!rule) {
    const kind = isObj(value) && typeof value['type'] === 'string' ? ` of kind ${value['type']}` : '';
    return RECORD_RULES[root]
      ? no('unknown-kind', `${root}/${key}: a record${kind} this server does not know`)
      : no('unknown-root', `${root} is not a part of a group a device writes`);
  }
  if (!isObj(value)) return no('bad-record', `${root}/${key} is not a record`);
  const chars = JSON.stringify(value).length;
  if (chars > rule.maxChars) return no('too-large', `${root}/${key} is ${chars} characters; at most ${rule.maxChars}`);
  if (root === Root.meta && key !== META_KEY) return no('bad-record', `${root}/${key} is not the group record`);
  if (rule.parse(value) === null || (typeof value['id'] === 'string' && root !== Root.meta && value['id'] !== key)) {
    return no('bad-record', `${root}/${key} is not a valid record`);
  }
  const actor = actorOf(value, rule.actor);
  if (actor !== ctx.subject.personId) {
    return no('impersonation', `${root}/${key} names ${actor ?? 'nobody'} as its author, not you`);
  }
  return rule.allowed(ctx, value);
}

// ---------------------------------------------------------------------------------------------------------------
// Look-ups (ASSIST-6, ASSIST-7, ASSIST-8)
// ---------------------------------------------------------------------------------------------------------------

/** Look-up clearance: 0 any member; 1 on duty at some post; 2 on duty at a data-support post, or a leader on duty. */
export type LookupClearance = 0 | 1 | 2;

export const DATA_SUPPORT_CAPABILITY = 'data-support';
/** Clearance needed to reveal a masked value (ASSIST-6). */
export const REVEAL_CLEARANCE: LookupClearance = 2;

export function lookupClearance(dir: Directory, personId: string): LookupClearance {
  const person = dir.person(personId);
  if (!person) return 0;
  const duty = person.postIds.filter((p) => onDuty(dir, personId, p));
  if (duty.some((p) => dir.post(p)?.capabilities.includes(DATA_SUPPORT_CAPABILITY))) return 2;
  if (duty.length > 0 && person.roles.includes('leader')) return 2;
  return duty.length > 0 ? 1 : 0;
}

/** What a source asks of a person: a clearance and, optionally, one of some roles. */
export interface SourceRule {
  clearance: LookupClearance;
  roles?: readonly string[];
}

/**
 * ASSIST-7 query a source: a member of the group (the relay applies only members' questions) with the source's
 * clearance and, when it names roles, one of them. Codes: `not-allowed` (role), `no-clearance`.
 */
export function mayQuerySource(dir: Directory, personId: string, rule: SourceRule): Verdict {
  const person = dir.person(personId);
  if (!person) return no('not-allowed', 'unknown person');
  if (rule.roles && !rule.roles.some((r) => (person.roles as readonly string[]).includes(r))) {
    return no('not-allowed', `this source is for ${rule.roles.join(', ')}`);
  }
  if (lookupClearance(dir, personId) < rule.clearance) {
    return no('no-clearance', `this source needs clearance ${rule.clearance}`);
  }
  return OK;
}

/** ASSIST-6 reveal a masked value: clearance 2. */
export function mayRevealLookup(dir: Directory, personId: string): Verdict {
  return lookupClearance(dir, personId) >= REVEAL_CLEARANCE
    ? OK
    : no('no-clearance', 'revealing a masked value needs a data-support post or a leader on duty');
}

/** ASSIST-8 send an answer to a member: a desk or a leader. */
export function mayPushLookup(s: Pick<ActingPerson, 'roles'>): Verdict {
  return s.roles.includes('desk') || s.roles.includes('leader')
    ? OK
    : no('may-not-push', 'only a desk or a leader sends an answer to a member');
}

// ---------------------------------------------------------------------------------------------------------------
// Deadlines: the server's, never a record's (POL-15): `DeadlinePolicy`, `signOffMinutes`, `closureMinutes`,
// `deadlinePolicyFromTemplates` and `incidentTypeOf` live in sla.ts (the deadline rules), re-exported here.
// ---------------------------------------------------------------------------------------------------------------
export {
  DEFAULT_DEADLINE_POLICY,
  closureMinutes,
  deadlinePolicyFromTemplates,
  incidentTypeOf,
  signOffMinutes,
} from './sla.ts';
export type { DeadlinePolicy } from './sla.ts';

// ---------------------------------------------------------------------------------------------------------------
// On a device: the group facts from the document
// ---------------------------------------------------------------------------------------------------------------

/** The group's facts as its document shows them (devices; the relay uses its registry). */
export function groupFactsOf(doc: Y.Doc): GroupFacts {
  const meta = parseMeta(rootMap(doc, Root.meta).get(META_KEY));
  const posts = new Set<string>();
  for (const v of rootMap(doc, Root.invitations).values()) {
    const inv = parseInvitation(v);
    if (inv) posts.add(inv.post.id);
  }
  const persons = new Set<string>();
  const addressedPosts = new Set<string>();
  for (const v of rootMap(doc, Root.entries).values()) {
    const e = parseEntry(v);
    if (e?.type === 'instruction') for (const a of e.to) (a.kind === 'person' ? persons : addressedPosts).add(a.id);
  }
  return {
    initiator: meta?.initiator.personId ?? null,
    unitId: meta?.unitId ?? null,
    posts,
    persons,
    addressedPosts,
    supervisorPosts: supervisingPostsOf(doc),
  };
}

/**
 * POL-6 the leader posts supervising a group: its supervisions the relay did not refuse. The relay reads them from
 * the document it holds (its registry has no supervising posts) and devices from theirs, so a leader acting from a
 * supervising post is judged alike on both sides.
 */
export function supervisingPostsOf(doc: Y.Doc): Set<string> {
  const out = new Set<string>();
  const refusals = rootMap(doc, Root.refusals);
  for (const v of rootMap(doc, Root.supervisions).values()) {
    const sup = parseSupervision(v);
    if (sup && !refusals.has(`${Root.supervisions}/${sup.id}`)) out.add(sup.postId);
  }
  return out;
}
