/**
 * TASK-1..TASK-4: every matter seen through (事事见底). A task is assigned to a post or a person with an optional
 * due time; it is done with a note or waived with a reason. Tasks and their outcomes are write-once records.
 */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { stampedRecords } from './records.ts';
import { ENTRY_EXISTS, beginWrite, putOnce } from './writeOnce.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import { judgeAttested, whenDone } from './attested.ts';
import type { Actor, Addressee, Attested, TaskEntry, TaskEventRecord } from './schema.ts';
import { parseEntry, parseTaskEvent } from './validate.ts';

export interface AddTaskInput {
  id: string;
  title: string;
  assignee: Addressee;
  due?: number | null;
  author: Actor;
  deviceTime: number;
}

/** TASK-1: a task in the timeline, assigned to a post or a person; works offline. */
export function addTask(doc: Y.Doc, input: AddTaskInput): TaskEntry {
  beginWrite(doc, input.id, 'entry');
  const title = input.title.trim();
  if (!title) throw new CommandError('title-required', 'a task needs a title');
  const entry: TaskEntry = {
    id: input.id,
    type: 'task',
    title,
    assignee: input.assignee,
    due: input.due ?? null,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.entries, entry, {
    unique: ENTRY_EXISTS,
    check: { parse: parseEntry, invalid: ['bad-task', 'task is not valid'] },
  });
}

export interface TaskOutcomeInput {
  id: string;
  taskId: string;
  /** The note (done) or the reason (waived). */
  text: string;
  by: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time now (absent when it has no anchor). */
  attested?: Attested | null;
}

function writeOutcome(doc: Y.Doc, kind: 'done' | 'waived', input: TaskOutcomeInput): TaskEventRecord {
  beginWrite(doc, input.id, 'record');
  const task = parseEntry(rootMap(doc, Root.entries).get(input.taskId));
  if (!task || task.type !== 'task') throw new CommandError('no-task', 'no such task in this group');
  const text = input.text.trim();
  if (kind === 'waived' && !text) throw new CommandError('reason-required', 'a task is waived only with a reason');
  const record: TaskEventRecord = {
    id: input.id,
    taskId: task.id,
    kind,
    text,
    by: input.by,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.taskEvents, record, {
    attested: input.attested,
    check: { parse: parseTaskEvent, invalid: ['bad-task-event', 'task outcome is not valid'] },
  });
}

/** TASK-2: marks a task done, with a note. */
export function completeTask(doc: Y.Doc, input: TaskOutcomeInput): TaskEventRecord {
  return writeOutcome(doc, 'done', input);
}

/** TASK-3: waives a task; a reason is required. */
export function waiveTask(doc: Y.Doc, input: TaskOutcomeInput): TaskEventRecord {
  return writeOutcome(doc, 'waived', input);
}

export type TaskState = 'open' | 'done' | 'waived';

export interface TaskView {
  task: Stamped<TaskEntry>;
  state: TaskState;
  /** The outcome that counts: the first in derived order (server stamp, else device time, then id). */
  outcome: Stamped<TaskEventRecord> | null;
  /** TASK-4: open and past its due time at `now`. */
  overdue: boolean;
  /**
   * Done or waived after its due time, judged on when the outcome was done (ATT-4: its plausible attested time, else
   * the server stamp, else the device time), so an outcome made in time offline is not late for arriving late.
   */
  closedLate: boolean;
  /**
   * ATT-3 ATT-5: `attested` when the outcome arrived after the due time and its plausible attested time is what it
   * was judged on (as an invitation's `basis`), else `stamp`.
   */
  basis: 'stamp' | 'attested';
  /** The time the outcome was judged on when its basis is `attested`, else null. */
  judgedAt: number | null;
}

/** TASK-4: every task with its state and overdue flag at `now`, in timeline order. */
export function taskViews(doc: Y.Doc, now: number): TaskView[] {
  const outcomes = new Map<string, Stamped<TaskEventRecord>>();
  for (const ev of stampedRecords(doc, Root.taskEvents, parseTaskEvent)) {
    if (!outcomes.has(ev.record.taskId)) outcomes.set(ev.record.taskId, ev);
  }
  const out: TaskView[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    if (e.record.type !== 'task') continue;
    const task = e.record;
    const outcome = outcomes.get(task.id) ?? null;
    const state: TaskState = outcome ? outcome.record.kind : 'open';
    const outcomeTime = outcome ? whenDone(doc, Root.taskEvents, outcome.id, outcome.deviceTime).at : null;
    const j = outcome ? judgeAttested(doc, Root.taskEvents, outcome.id) : null;
    const attestedAt =
      j?.plausible && task.due !== null && outcome?.serverTime != null && outcome.serverTime > task.due
        ? j.attested.at
        : null;
    out.push({
      task: { ...e, record: task },
      state,
      outcome,
      overdue: state === 'open' && task.due !== null && now > task.due,
      closedLate: outcomeTime !== null && task.due !== null && outcomeTime > task.due,
      basis: attestedAt === null ? 'stamp' : 'attested',
      judgedAt: attestedAt,
    });
  }
  return out;
}
