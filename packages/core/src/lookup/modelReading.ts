/**
 * ASSIST-13: what an optional language model's reading of a question may contribute. The model is asked only when
 * the deterministic parser cannot read a question (`unknown`), and its reading is taken only as a query the
 * assistant could have parsed itself: a known intent and a subject the question itself names (an ID number with a
 * valid check digit, a plate, a phone number, a name or an address found in the text), or "here" for a place
 * look-up. Anything else (a person key it cannot know, a value it made up) is dropped, and the question stays
 * unknown.
 */
import { isValidResidentId } from './entities.ts';
import { parseQuery } from './answers.ts';
import { normaliseQuestion } from './parser.ts';
import type { LookupQuery } from './parser.ts';

const squash = (s: string): string => s.toLowerCase().replace(/[\s·•.\-()（）]/g, '');

/** The model's reply as a query the question supports, or null. */
export function acceptModelQuery(question: string, reply: unknown): LookupQuery | null {
  const q = parseQuery(reply);
  if (!q) return null;
  const s = q.subject;
  if (s.kind === 'person' || s.kind === 'point') return null;
  if (s.kind === 'here')
    return q.intent === 'cameras' || q.intent === 'calls110' ? { intent: q.intent, subject: s } : null;
  const value = s.value.trim();
  if (!value || !squash(normaliseQuestion(question)).includes(squash(value))) return null;
  if (s.kind === 'id' && !isValidResidentId(value)) return null;
  if (s.kind === 'name') {
    const year = s.birthYear;
    const withYear = year !== undefined && Number.isInteger(year) && question.includes(String(year));
    return { intent: q.intent, subject: withYear ? { kind: 'name', value, birthYear: year } : { kind: 'name', value } };
  }
  const normalised =
    s.kind === 'id' ? value.toUpperCase() : s.kind === 'plate' ? value.replace(/[\s·•.-]/g, '').toUpperCase() : value;
  return { intent: q.intent, subject: { kind: s.kind, value: normalised } };
}
