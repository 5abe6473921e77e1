/**
 * POL-2 the records a client may write into a group: one table (`RECORD_RULES`, root → kind → rule) and the one
 * check every client record passes on the relay (`mayWriteRecord`). A record in a root or of a kind the table lacks
 * is refused. How to add a record kind: see policy.ts.
 */
import type * as Y from 'yjs';
import type { Directory } from '../directory.ts';
import { InboxRoot } from '../inbox.ts';
import { parseLookupPush, parseQuestionRecord } from '../lookup/thread.ts';
import { META_KEY, Root, rootMap } from '../schema.ts';
import {
  isObj,
  parseAck,
  parseCloseRequest,
  parseDecisionRequest,
  parseEntry,
  parseInvitation,
  parseLesson,
  parseMeta,
  parseSealRequest,
  parseSignOff,
  parseSupervision,
  parseReminder,
  parseHoldRequest,
  parseTaskEvent,
} from '../validate.ts';
import { reminderRef, reminderRefAuthor } from '../reminders.ts';
import {
  mayAcknowledge,
  mayAssignTask,
  mayCompleteTask,
  mayInstruct,
  mayInvite,
  mayPushClue,
  mayRemind,
  mayHold,
  mayRequestApproval,
  maySign,
  mayStart,
  mayWaiveTask,
  mayWriteLesson,
} from './acts.ts';
import { readClosure } from '../records.ts';
import { OK, no } from './definitions.ts';
import type { ActingPerson, GroupFacts, Verdict } from './definitions.ts';
import { mayPushLookup } from './lookup.ts';

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
  // REVIEW-3: lessons of the review, after closure (the one kind besides seal requests new after it, LATE-2).
  [Root.lessons]: {
    '*': {
      actor: 'author',
      maxChars: 10_000,
      parse: parseLesson,
      allowed: (c) => mayWriteLesson(c.dir, c.subject, c.group, readClosure(c.doc) !== null),
    },
  },
  // ASSIST-4: any member asks the assistant; which sources answer is the look-up policy's (`sourceRefusal`).
  [Root.questions]: { '*': { actor: 'by', maxChars: 4_000, parse: parseQuestionRecord, allowed: memberWrites } },
  // ASSIST-8: a desk or a leader sends an answer to a member.
  [Root.lookupPushes]: {
    '*': { actor: 'by', maxChars: 6_000, parse: parseLookupPush, allowed: (c) => mayPushLookup(c.subject) },
  },
  // KEEP-2: a legal hold placed or lifted by a leader acting in the group (POL-21), open, closed or sealed.
  [Root.holdRequests]: {
    '*': {
      actor: 'by',
      maxChars: 2_000,
      parse: parseHoldRequest,
      allowed: (c, r) => mayHold(c.dir, c.subject, c.group, str(r, 'postId') ?? null),
    },
  },
  // REMIND-1, REMIND-4: 催办 of a clue, an invitation or an instruction of this group, by whoever runs it or its author.
  [Root.reminders]: {
    '*': {
      actor: 'by',
      maxChars: 2_000,
      parse: parseReminder,
      allowed: (c, r) => {
        const ref = reminderRef(c.doc, str(r, 'refKind') ?? '', str(r, 'refId') ?? '');
        if (!ref) return no('bad-reminder', 'no such clue, invitation or instruction in this group');
        return mayRemind(c.dir, c.subject, c.group, reminderRefAuthor(ref));
      },
    },
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
