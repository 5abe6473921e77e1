/**
 * ASSIST-4/ASSIST-8: the assistant's thread in a group. A question is a device record (`questions`), so it can be
 * asked with no coverage; the relay answers it into `server:answers`. A tapped clarification is a question too,
 * naming the answer and the choice (the relay takes the query from its own answer, never from the device). A desk
 * or leader pushes an answer to a member (`lookupPushes`): it lands in their inbox and they acknowledge it.
 */
import type * as Y from 'yjs';
import { acksByEntry, summariseAcks } from '../acks.ts';
import type { AckSummary } from '../acks.ts';
import { CommandError } from '../errors.ts';
import { readMeta } from '../group.ts';
import { inboxItemId } from '../inbox.ts';
import type { Delivery } from '../inbox.ts';
import { assertOpen, stampedRecords } from '../records.ts';
import { beginWrite, putOnce } from '../writeOnce.ts';
import type { Stamped } from '../records.ts';
import { Root, rootMap } from '../schema.ts';
import type { AckRecord, Actor } from '../schema.ts';
import { isId, isObj, isStr, isTime, parseAck, parseActor } from '../validate.ts';
import { readAnswer } from './answers.ts';
import type { AnswerRecord } from './answers.ts';
import { parseQuestion } from './parser.ts';
import type { ParseResult } from './parser.ts';

export const MAX_QUESTION_LENGTH = 500;

export interface QuestionRecord {
  id: string;
  text: string;
  by: Actor;
  deviceTime: number;
  /** A tapped clarification: the question whose answer offered the choice, and the choice's index. */
  choiceOf?: { questionId: string; index: number };
}

export interface LookupPushRecord {
  id: string;
  questionId: string;
  /** The member it is sent to. */
  to: Actor;
  /** What the inbox item says (a summary written by the sender). */
  text: string;
  by: Actor;
  deviceTime: number;
}

export function parseQuestionRecord(v: unknown): QuestionRecord | null {
  if (!isObj(v) || !isId(v['id']) || !isStr(v['text'], MAX_QUESTION_LENGTH) || !isTime(v['deviceTime'])) return null;
  const by = parseActor(v['by']);
  if (!by || v['text'].trim() === '') return null;
  const q: QuestionRecord = { id: v['id'], text: v['text'], by, deviceTime: v['deviceTime'] };
  const c = v['choiceOf'];
  if (c !== undefined) {
    if (!isObj(c) || !isId(c['questionId']) || !Number.isInteger(c['index']) || (c['index'] as number) < 0) return null;
    q.choiceOf = { questionId: c['questionId'], index: c['index'] as number };
  }
  return q;
}

export function parseLookupPush(v: unknown): LookupPushRecord | null {
  if (!isObj(v) || !isId(v['id']) || !isId(v['questionId']) || !isStr(v['text'], 2_000)) return null;
  const to = parseActor(v['to']);
  const by = parseActor(v['by']);
  if (!to || !by || !isTime(v['deviceTime']) || v['text'].trim() === '') return null;
  return { id: v['id'], questionId: v['questionId'], to, text: v['text'], by, deviceTime: v['deviceTime'] };
}

export interface AskInput {
  id: string;
  text: string;
  by: Actor;
  deviceTime: number;
  choiceOf?: { questionId: string; index: number };
}

/** ASSIST-4: asks the assistant; works offline (the relay answers when the question reaches it). */
export function askQuestion(doc: Y.Doc, input: AskInput): QuestionRecord {
  beginWrite(doc, input.id, 'question');
  const text = input.text.trim();
  if (!text) throw new CommandError('text-required', 'a question needs text');
  if (text.length > MAX_QUESTION_LENGTH)
    throw new CommandError('too-long', `at most ${MAX_QUESTION_LENGTH} characters`);
  const record: QuestionRecord = { id: input.id, text, by: input.by, deviceTime: input.deviceTime };
  if (input.choiceOf) record.choiceOf = input.choiceOf;
  return putOnce(doc, Root.questions, record, {
    unique: 'a question with this id exists',
    check: { parse: parseQuestionRecord, invalid: ['bad-question', 'question is not valid'] },
  });
}

export interface PushInput {
  id: string;
  questionId: string;
  to: Actor;
  text: string;
  by: Actor;
  deviceTime: number;
}

/** ASSIST-8: sends an answer to a member's inbox (the relay refuses senders who are not desk or leader). */
export function pushLookupAnswer(doc: Y.Doc, input: PushInput): LookupPushRecord {
  assertOpen(doc);
  if (!isId(input.id)) throw new CommandError('bad-id', 'push id must be 1–64 letters, digits, - or _');
  if (!readAnswer(doc, input.questionId)) throw new CommandError('no-answer', 'only an answered question is sent');
  const record: LookupPushRecord = { ...input, text: input.text.trim().slice(0, 2_000) };
  if (!parseLookupPush(record)) throw new CommandError('bad-push', 'push is not valid');
  const map = rootMap(doc, Root.lookupPushes);
  if (map.has(input.id)) throw new CommandError('duplicate-id', 'a push with this id exists');
  map.set(record.id, record);
  return record;
}

/** ASSIST-8: the recipient marks a pushed answer seen or acknowledged (INS-2 records). */
export function acknowledgePush(
  doc: Y.Doc,
  input: { id: string; pushId: string; kind: 'seen' | 'ack'; by: Actor; deviceTime: number },
): AckRecord {
  assertOpen(doc);
  if (!parseLookupPush(rootMap(doc, Root.lookupPushes).get(input.pushId))) {
    throw new CommandError('not-ackable', 'no such pushed answer');
  }
  const record: AckRecord = {
    id: input.id,
    entryId: input.pushId,
    kind: input.kind,
    by: input.by,
    postId: null,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.acks, record, {
    check: { parse: parseAck, invalid: ['bad-ack', 'acknowledgement is not valid'] },
  });
}

export interface PushView {
  push: Stamped<LookupPushRecord>;
  ack: AckSummary | null;
}

export interface ThreadItem {
  question: Stamped<QuestionRecord>;
  answer: AnswerRecord | null;
  pushes: PushView[];
}

/** The thread: questions in derived order (TL-1), each with its answer (once written) and its pushes. */
export function lookupThread(doc: Y.Doc): ThreadItem[] {
  const acks = acksByEntry(doc);
  const pushes = new Map<string, PushView[]>();
  for (const p of stampedRecords(doc, Root.lookupPushes, parseLookupPush)) {
    const list = pushes.get(p.record.questionId) ?? [];
    const mine = (acks.get(p.id) ?? []).filter((a) => a.record.by.personId === p.record.to.personId);
    list.push({ push: p, ack: summariseAcks(mine)[0] ?? null });
    pushes.set(p.record.questionId, list);
  }
  return stampedRecords(doc, Root.questions, parseQuestionRecord).map((q) => ({
    question: q,
    answer: readAnswer(doc, q.id),
    pushes: pushes.get(q.id) ?? [],
  }));
}

/** ASSIST-3: the last person found by a look-up answered before the given question (in derived order). */
export function lastPersonBefore(doc: Y.Doc, questionId: string): { key: string; name: string } | null {
  let last: { key: string; name: string } | null = null;
  for (const item of lookupThread(doc)) {
    if (item.question.id === questionId) break;
    if (item.answer?.person) last = item.answer.person;
  }
  return last;
}

/**
 * The server's reading of a question: a tapped choice is the query its answer offered (a choice the answer did
 * not offer reads as unknown); otherwise the parser, with the last person found before it as context.
 */
export function readQuestion(doc: Y.Doc, question: QuestionRecord): ParseResult {
  if (question.choiceOf) {
    const offered = readAnswer(doc, question.choiceOf.questionId)?.choices?.[question.choiceOf.index];
    return offered ? { kind: 'query', query: offered } : { kind: 'unknown' };
  }
  return parseQuestion(question.text, { lastPerson: lastPersonBefore(doc, question.id) });
}

/** Questions without an answer yet, in derived order (what the relay has to answer). */
export function unansweredQuestions(doc: Y.Doc): Stamped<QuestionRecord>[] {
  const answers = rootMap(doc, Root.answers);
  return stampedRecords(doc, Root.questions, parseQuestionRecord).filter((q) => !answers.has(q.id));
}

/** ASSIST-8 (server): pushed answers owed to inboxes, once stamped; each to its recipient (with `only`: those pushes). */
export function lookupDeliveries(doc: Y.Doc, only?: Iterable<string>): Delivery[] {
  const meta = readMeta(doc);
  if (!meta) return [];
  const out: Delivery[] = [];
  for (const p of stampedRecords(doc, Root.lookupPushes, parseLookupPush, only)) {
    if (p.serverTime === null) continue;
    out.push({
      personId: p.record.to.personId,
      item: {
        id: inboxItemId('lookup', meta.id, p.id),
        kind: 'lookup',
        groupId: meta.id,
        groupTitle: meta.title,
        refId: p.id,
        text: p.record.text,
        at: p.serverTime,
      },
    });
  }
  return out;
}
