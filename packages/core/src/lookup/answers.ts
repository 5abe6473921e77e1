/**
 * ASSIST-4/ASSIST-6: the assistant's answer to a question, written by the relay into `server:answers` (keyed by the
 * question id, once). Results carry the source's names and field names (so they read offline in either language)
 * and values already masked where the field is sensitive: the document never holds what a member without clearance
 * may not see; a cleared member asks the server to reveal one value (audited).
 */
import type * as Y from 'yjs';
import { Root, rootMap } from '../schema.ts';
import { isObj, isStr, isTime } from '../validate.ts';
import { isIntent } from './intents.ts';
import type { LookupQuery, Subject } from './parser.ts';

export interface LocalName {
  zh: string;
  en: string;
}

export interface AnswerField {
  key: string;
  name: LocalName;
}

export interface AnswerRow {
  /** The source's key of the row (asked for when revealing a value). */
  key: string;
  values: Record<string, string | number | null>;
  /** Keys of the values shown masked. */
  masked: string[];
}

export interface AnswerResult {
  source: string;
  name: LocalName;
  fields: AnswerField[];
  rows: AnswerRow[];
  /** Rows matched in all (rows holds at most a page of them). */
  total: number;
  /** The source was not asked or failed: `not-allowed`, `no-clearance`, `off-duty`, `source-error`. */
  error?: string;
}

export type AnswerStatus = 'answered' | 'clarify' | 'refused' | 'invalid' | 'unknown';

export interface AnswerRecord {
  questionId: string;
  status: AnswerStatus;
  /** Server time of the answer. */
  at: number;
  query?: LookupQuery;
  /** refused: `rate-limited`, `not-allowed`, `closed`; invalid: `bad-id-check`; clarify: the reason. */
  code?: string;
  choices?: LookupQuery[];
  results: AnswerResult[];
  /** The person the look-up found, for follow-ups (ASSIST-3). */
  person?: { key: string; name: string };
}

const STATUSES: readonly AnswerStatus[] = ['answered', 'clarify', 'refused', 'invalid', 'unknown'];

function parseName(v: unknown): LocalName | null {
  return isObj(v) && isStr(v['zh'], 200) && isStr(v['en'], 200) ? { zh: v['zh'], en: v['en'] } : null;
}

function parseSubject(v: unknown): Subject | null {
  if (!isObj(v) || !isStr(v['kind'], 20)) return null;
  const kind = v['kind'];
  if (kind === 'here') return { kind };
  if (!isStr(v['value'], 200)) return null;
  const value = v['value'];
  if (kind === 'id' || kind === 'plate' || kind === 'phone' || kind === 'address' || kind === 'point') {
    return { kind, value };
  }
  if (kind === 'person') return isStr(v['name'], 200) ? { kind, value, name: v['name'] } : null;
  if (kind === 'name') {
    const y = v['birthYear'];
    return typeof y === 'number' ? { kind, value, birthYear: y } : { kind, value };
  }
  return null;
}

export function parseQuery(v: unknown): LookupQuery | null {
  if (!isObj(v) || !isIntent(v['intent'])) return null;
  const subject = parseSubject(v['subject']);
  if (!subject) return null;
  return v['followUp'] === true ? { intent: v['intent'], subject, followUp: true } : { intent: v['intent'], subject };
}

function parseResult(v: unknown): AnswerResult | null {
  if (!isObj(v) || !isStr(v['source'], 64) || !Array.isArray(v['fields']) || !Array.isArray(v['rows'])) return null;
  const name = parseName(v['name']);
  if (!name || typeof v['total'] !== 'number') return null;
  const fields: AnswerField[] = [];
  for (const f of v['fields'] as unknown[]) {
    const n = isObj(f) ? parseName(f['name']) : null;
    if (!n || !isObj(f) || !isStr(f['key'], 64)) return null;
    fields.push({ key: f['key'], name: n });
  }
  const rows: AnswerRow[] = [];
  for (const r of v['rows'] as unknown[]) {
    if (!isObj(r) || !isStr(r['key'], 200) || !isObj(r['values']) || !Array.isArray(r['masked'])) return null;
    const values: AnswerRow['values'] = {};
    for (const [k, x] of Object.entries(r['values'])) {
      if (typeof x === 'string' || typeof x === 'number' || x === null) values[k] = x;
    }
    rows.push({ key: r['key'], values, masked: (r['masked'] as unknown[]).filter((m): m is string => isStr(m, 64)) });
  }
  const out: AnswerResult = { source: v['source'], name, fields, rows, total: v['total'] };
  if (isStr(v['error'], 64)) out.error = v['error'];
  return out;
}

export function parseAnswer(v: unknown): AnswerRecord | null {
  if (!isObj(v) || !isStr(v['questionId'], 64) || !STATUSES.includes(v['status'] as AnswerStatus)) return null;
  if (!isTime(v['at']) || !Array.isArray(v['results'])) return null;
  const results: AnswerResult[] = [];
  for (const r of v['results'] as unknown[]) {
    const p = parseResult(r);
    if (p) results.push(p);
  }
  const out: AnswerRecord = { questionId: v['questionId'], status: v['status'] as AnswerStatus, at: v['at'], results };
  const query = v['query'] === undefined ? null : parseQuery(v['query']);
  if (query) out.query = query;
  if (isStr(v['code'], 64)) out.code = v['code'];
  if (Array.isArray(v['choices'])) {
    out.choices = (v['choices'] as unknown[]).map(parseQuery).filter((q): q is LookupQuery => q !== null);
  }
  const p = v['person'];
  if (isObj(p) && isStr(p['key'], 200) && isStr(p['name'], 200)) out.person = { key: p['key'], name: p['name'] };
  return out;
}

export function readAnswer(doc: Y.Doc, questionId: string): AnswerRecord | null {
  const a = parseAnswer(rootMap(doc, Root.answers).get(questionId));
  return a && a.questionId === questionId ? a : null;
}

/** Server: writes an answer, once per question (an answer is never rewritten). Returns whether it was written. */
export function recordAnswer(doc: Y.Doc, answer: AnswerRecord, origin: unknown): boolean {
  const map = rootMap(doc, Root.answers);
  if (map.has(answer.questionId) || !parseAnswer(answer)) return false;
  doc.transact(() => map.set(answer.questionId, answer), origin);
  return true;
}

/** ASSIST-6: a value as shown to members without clearance: ID numbers keep region and last 4, phones 3 + 4. */
export function maskValue(value: string | number | null, how: 'id' | 'phone' | 'name' | 'text'): string | null {
  if (value === null) return null;
  const s = String(value);
  if (how === 'id' && s.length === 18) return `${s.slice(0, 6)}********${s.slice(14)}`;
  if (how === 'phone' && s.length >= 7) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  if (how === 'name') return s.length <= 1 ? '*' : `${s[0]}${'*'.repeat(Math.min(s.length - 1, 3))}`;
  return s.length <= 2 ? '**' : `${s.slice(0, 2)}${'*'.repeat(Math.min(s.length - 2, 8))}`;
}
