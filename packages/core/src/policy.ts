/**
 * THE POLICY: who may do what in Muster, decided once, in this module. The relay's write rules, its workflow
 * judgements, the HTTP API and the web app all call these functions; nothing else re-derives a rule. This file is
 * the policy's table of contents and its only entry point: every act is listed below with the file that holds it
 * (packages/core/src/policy/, one concept a file); import from here, never from those files.
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
 *  2. add one row to `RECORD_RULES` (policy/records.ts): the author field, the byte cap, the parser and the act it
 *     stands for (a function of policy/acts.ts); for a new root, also add it to `Root` and `STAMPED_COLLECTIONS` in
 *     schema.ts;
 *  3. quote the SPEC rule in a test of the act (packages/core/src/policy.test.ts) and add a row to the access
 *     matrix (tests/integration/policy-matrix.test.ts).
 * A root the server alone writes is named `server:…` and needs no row: clients are refused there (STAMP-3).
 *
 * Where each part lives:
 *  - policy/definitions.ts  who acts and the definitions: ActingPerson, GroupFacts, Verdict, read-only roles, duty,
 *                           oversight, leader of a group, leader and management posts of a group, runs the group;
 *  - policy/acts.ts         one function per act: open and start (POL-3), invite (POL-4), sign (POL-5), supervise
 *                           and instruct (POL-6), acknowledge (POL-7), push a clue and to whom (POL-8), tasks
 *                           (POL-9), approvals (POL-10), close (POL-11), seal (POL-12), read the directory (POL-13)
 *                           and the audit log (POL-14), write a lesson of the review (POL-18), administer the
 *                           server (POL-19);
 *  - policy/awaited.ts      whom an act waits on, for the interface's "等待 X …" (POL-17);
 *  - policy/records.ts      the record table every client record passes on the relay (POL-2, POL-16);
 *  - policy/lookup.ts       the look-up rules (ASSIST-6..ASSIST-8);
 *  - policy/facts.ts        the group facts a device reads from the document;
 *  - sla.ts                 the deadlines: the server's, never a record's (POL-15).
 */
export {
  READ_ONLY_ROLES,
  hasReadOnlyRole,
  onlyReadOnlyRoles,
  onDuty,
  oversees,
  isLeaderOf,
  actsAsOverseeingLeader,
  isGroupLeaderPost,
  actsAsGroupLeader,
  isInvitedManagementPost,
  managementPostsOf,
  runsGroup,
} from './policy/definitions.ts';
export type { ActingPerson, GroupFacts, Verdict } from './policy/definitions.ts';
export {
  mayOpen,
  mayStart,
  mayInvite,
  mayRemind,
  maySign,
  maySupervise,
  mayInstruct,
  mayAcknowledge,
  mayPushClue,
  clueTargetUnits,
  clueRecipientIds,
  mayAssignTask,
  mayCompleteTask,
  mayWaiveTask,
  mayRequestApproval,
  mayDecideApproval,
  mayCloseGroup,
  maySeal,
  mayHold,
  mayWriteLesson,
  directoryScope,
  mayReadAudit,
  mayAdminister,
} from './policy/acts.ts';
export type { OpenMode } from './policy/acts.ts';
export { awaitedClosers, awaitedInviters, awaitedDeciders } from './policy/awaited.ts';
export type { Awaited } from './policy/awaited.ts';
export { RECORD_RULES, INBOX_RECORD_ROOTS, recordRule, mayWriteRecord } from './policy/records.ts';
export type { WriteContext, RecordRule } from './policy/records.ts';
export {
  DATA_SUPPORT_CAPABILITY,
  REVEAL_CLEARANCE,
  lookupClearance,
  mayQuerySource,
  mayRevealLookup,
  mayPushLookup,
} from './policy/lookup.ts';
export type { LookupClearance, SourceRule } from './policy/lookup.ts';
export { groupFactsOf, supervisingPostsOf } from './policy/facts.ts';
export {
  DEFAULT_DEADLINE_POLICY,
  closureMinutes,
  deadlinePolicyFromTemplates,
  incidentTypeOf,
  signOffMinutes,
} from './sla.ts';
export type { DeadlinePolicy } from './sla.ts';
