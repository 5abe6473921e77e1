/**
 * REVIEW-3: the lessons section of the post-incident review (复盘 · 经验教训). Once a group is closed, the initiator,
 * its management desk and its leaders (POL-18 `mayWriteLesson`) write lessons into the `lessons` root: a record of
 * the group, signed by its author and stamped with the server's time. The relay keeps them after the closure (they
 * are new work, not late field work) and, like everything, refuses them once the group is sealed (LATE-3).
 */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { readClosure, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root } from './schema.ts';
import type { Actor, LessonRecord } from './schema.ts';
import { readSeal } from './seal.ts';
import { parseLesson } from './validate.ts';
import { assertId, putOnce } from './writeOnce.ts';

export interface WriteLessonInput {
  id: string;
  text: string;
  author: Actor;
  deviceTime: number;
}

/** REVIEW-3 (device): writes a lesson into a closed, unsealed group. */
export function writeLesson(doc: Y.Doc, input: WriteLessonInput): LessonRecord {
  if (!readClosure(doc)) throw new CommandError('not-closed', 'lessons are written once the group is closed');
  if (readSeal(doc)) throw new CommandError('sealed', 'this group is sealed');
  assertId(input.id, 'record');
  const record: LessonRecord = {
    id: input.id,
    text: input.text.trim(),
    author: input.author,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.lessons, record, {
    check: { parse: parseLesson, invalid: ['bad-lesson', 'a lesson is 1–4,000 characters'] },
  });
}

/** The lessons of a group, in record order (server time; those the relay has not stamped yet last). */
export function readLessons(doc: Y.Doc): Stamped<LessonRecord>[] {
  return stampedRecords(doc, Root.lessons, parseLesson);
}
