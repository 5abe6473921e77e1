/**
 * REC-1: the group record, everything the printable case-file page shows, derived from the document at `now`.
 */
import type * as Y from 'yjs';
import { approvalViews } from './approvals.ts';
import type { ApprovalView } from './approvals.ts';
import { closureDeadline } from './closure.ts';
import { clueViews } from './clues.ts';
import type { ClueView } from './clues.ts';
import type { Directory } from './directory.ts';
import { serverEvents } from './escalation.ts';
import { readMeta } from './group.ts';
import { instructionViews, supervisors } from './instructions.ts';
import type { InstructionView } from './instructions.ts';
import { invitationViews } from './invitations.ts';
import type { InvitationView } from './invitations.ts';
import { readClosure, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { META_KEY, Root } from './schema.ts';
import type { ClosureRecord, Entry, GroupMeta, ServerEvent, SupervisionRecord } from './schema.ts';
import { stampOf } from './stamps.ts';
import { taskViews } from './tasks.ts';
import type { TaskView } from './tasks.ts';
import { parseEntry } from './validate.ts';

export interface GroupRecord {
  meta: GroupMeta;
  /** Server time of the group record, null until the relay has it. */
  createdAt: number | null;
  closureDeadline: number | null;
  /** Every timeline entry with device and server times, and the received-after-closure flag (LATE-1). */
  timeline: Stamped<Entry>[];
  invitations: InvitationView[];
  events: ServerEvent[];
  supervisors: Stamped<SupervisionRecord>[];
  instructions: InstructionView[];
  clues: ClueView[];
  tasks: TaskView[];
  approvals: ApprovalView[];
  closure: ClosureRecord | null;
  /** CLOSE-5: a closed group is read-only in every view. */
  readOnly: boolean;
  /** Counts for the summary line. */
  counts: { entries: number; receivedAfterClosure: number; signedOnTime: number; signedLate: number; overdue: number };
}

/** REC-1: the whole group for the case file; null while the document has no group record. */
export function groupRecord(doc: Y.Doc, now: number, directory?: Directory): GroupRecord | null {
  const meta = readMeta(doc);
  if (!meta) return null;
  const timeline = stampedRecords(doc, Root.entries, parseEntry);
  const invitations = invitationViews(doc, now);
  const closure = readClosure(doc);
  return {
    meta,
    createdAt: stampOf(doc, Root.meta, META_KEY)?.at ?? null,
    closureDeadline: closureDeadline(doc),
    timeline,
    invitations,
    events: serverEvents(doc),
    supervisors: supervisors(doc),
    instructions: instructionViews(doc),
    clues: clueViews(doc, directory),
    tasks: taskViews(doc, closure?.at ?? now),
    approvals: approvalViews(doc),
    closure,
    readOnly: closure !== null,
    counts: {
      entries: timeline.length,
      receivedAfterClosure: timeline.filter((e) => e.afterClosure).length,
      signedOnTime: invitations.filter((i) => i.status === 'signed-on-time').length,
      signedLate: invitations.filter((i) => i.status === 'signed-late').length,
      overdue: invitations.filter((i) => i.status === 'overdue').length,
    },
  };
}
