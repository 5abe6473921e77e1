/**
 * ASSIST-1/ASSIST-2/ASSIST-3: a look-up question in Chinese or English read into one query (an intent and a subject),
 * deterministically, with no network or model. A question that could mean more than one thing gets a clarification
 * with choices (each a complete query), never a guess; a follow-up with no subject of its own ("他最近的住宿记录")
 * is about the last person found in the thread.
 */
import { findEntities, findRoad } from './entities.ts';
import { HERE_WORDS, INTENT_WORDS, INTENTS, OWNER_WORDS, PRONOUNS, FILLER } from './intents.ts';
import type { Intent } from './intents.ts';
import { chineseNames, englishNames } from './names.ts';

export type Subject =
  | { kind: 'id'; value: string }
  | { kind: 'plate'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'name'; value: string; birthYear?: number }
  | { kind: 'address'; value: string }
  /** The group's own location (cameras near it, 110 calls around it). */
  | { kind: 'here' }
  /** A position, `lat,lon` (ASSIST-12: "here" on the relay, when a finding carries one). */
  | { kind: 'point'; value: string }
  /** A person a look-up found earlier, by the sources' person key (follow-ups, ASSIST-3). */
  | { kind: 'person'; value: string; name: string };
export type SubjectKind = Subject['kind'];

export interface LookupQuery {
  intent: Intent;
  subject: Subject;
  /** The subject came from the thread (the last person found), not from the question. */
  followUp?: boolean;
}

export type ParseResult =
  | { kind: 'query'; query: LookupQuery }
  | {
      kind: 'clarify';
      /** which-intent: one subject, several things to look up; which-subject: several subjects; need-subject: none. */
      reason: 'which-intent' | 'which-subject' | 'need-subject';
      choices: LookupQuery[];
    }
  | { kind: 'invalid'; reason: 'bad-id-check'; value: string }
  | { kind: 'unknown' };

/** What the thread knows: the last person a look-up found (ASSIST-3). */
export interface ParseContext {
  lastPerson?: { key: string; name: string } | null;
}

/** Intents about a person's records: a phone, plate or ID subject is resolved to its person first. */
export const RECORD_INTENTS: readonly Intent[] = [
  'priorCases',
  'wanted',
  'lodging',
  'rideHailing',
  'calls110',
  'household',
];
/** Intents that need only a place. */
const PLACE_INTENTS: readonly Intent[] = ['cameras', 'calls110'];
/** Asked when "his records" names no kind of record. */
const GENERIC_RECORD_CHOICES: Intent[] = ['priorCases', 'lodging', 'rideHailing', 'calls110'];
const PRONOUN_ONLY_CHOICES: Intent[] = ['person', 'priorCases', 'wanted', 'lodging', 'household'];
const RECORD_WORDS = { zh: ['记录', '历史', '轨迹', '情况'], en: ['records', 'record', 'history'] };

const DEFAULT_INTENT: Record<Exclude<SubjectKind, 'address' | 'here' | 'point'>, Intent> = {
  id: 'person',
  person: 'person',
  plate: 'vehicle',
  phone: 'phoneOwner',
  name: 'person',
};

/** Full-width digits, letters and punctuation to their ASCII forms; the ideographic space to a space. */
export function normaliseQuestion(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const WORD_RES = new Map<string, RegExp>();
/** One compiled expression per word (English: whole words, case-insensitive), kept for every later question. */
function wordRe(w: string, en: boolean): RegExp {
  const id = `${en ? 'en' : 'zh'}:${w}`;
  let re = WORD_RES.get(id);
  if (!re) {
    re = en ? new RegExp(`(?<![A-Za-z])${escapeRe(w)}(?![A-Za-z])`, 'gi') : new RegExp(escapeRe(w), 'g');
    WORD_RES.set(id, re);
  }
  return re;
}

/** Finds and blanks out words of a list (longest first); English words match whole words, case-insensitively. */
function takeWords(text: { s: string }, words: { zh: string[]; en: string[] }): string[] {
  const found: string[] = [];
  const all = [...words.zh.map((w) => ({ w, en: false })), ...words.en.map((w) => ({ w, en: true }))].sort(
    (a, b) => b.w.length - a.w.length,
  );
  for (const { w, en } of all) {
    const re = wordRe(w, en);
    re.lastIndex = 0;
    if (re.test(text.s)) {
      found.push(w);
      text.s = text.s.replace(re, (m) => ' '.repeat(m.length));
    }
  }
  return found;
}

const QUESTION_WORDS: ReadonlySet<string> = new Set(
  [
    ...Object.values(INTENT_WORDS).flatMap((w) => w.en),
    ...OWNER_WORDS.en,
    ...PRONOUNS.en,
    ...FILLER.en,
    ...HERE_WORDS.en,
    ...RECORD_WORDS.en,
  ].flatMap((w) => w.toLowerCase().split(/\s+/)),
);

/** Every intent word with its intent, longest first. */
const INTENT_PAIRS = INTENTS.flatMap((intent) => [
  ...INTENT_WORDS[intent].zh.map((w) => ({ intent, w, en: false })),
  ...INTENT_WORDS[intent].en.map((w) => ({ intent, w, en: true })),
]).sort((a, b) => b.w.length - a.w.length);

const ADDRESS_LEADING = /^(?:帮我|请|麻烦)?(?:查一下|查一查|查询|查查|查下|查|看看|看一下)?(?:一下)?(?:在|位于)?/u;

export function parseQuestion(question: string, context: ParseContext = {}): ParseResult {
  const text = normaliseQuestion(question);
  const entities = findEntities(text);
  const rest = { s: text };
  for (const e of entities) rest.s = rest.s.slice(0, e.start) + ' '.repeat(e.end - e.start) + rest.s.slice(e.end);

  // Intents, longest words first across all intents, each word blanked out once taken.
  const intents = new Set<Intent>();
  const owner = takeWords(rest, OWNER_WORDS).length > 0;
  for (const { intent, w, en } of INTENT_PAIRS) {
    const found = takeWords(rest, en ? { zh: [], en: [w] } : { zh: [w], en: [] });
    if (found.length > 0) intents.add(intent);
  }
  const here = takeWords(rest, HERE_WORDS).length > 0;
  const recordWord = takeWords(rest, RECORD_WORDS).length > 0;
  const pronoun = takeWords(rest, PRONOUNS).length > 0;

  // Subjects: entities, then names in what is left.
  const ids = entities.filter((e) => e.kind === 'id');
  const badId = ids.find((e) => !e.valid);
  const years = entities.filter((e) => e.kind === 'year').map((e) => Number(e.value));
  const birthYear = years[0];
  const subjects: Subject[] = [];
  for (const e of entities) {
    if (e.kind === 'id' && e.valid) subjects.push({ kind: 'id', value: e.value });
    else if (e.kind === 'plate') subjects.push({ kind: 'plate', value: e.value });
    else if (e.kind === 'phone') subjects.push({ kind: 'phone', value: e.value });
    else if (e.kind === 'address') {
      const value = e.value.replace(ADDRESS_LEADING, '');
      if (value) subjects.push({ kind: 'address', value });
    }
  }
  // A place look-up may name a road alone, or a crossing ("东湖路附近的监控", "cameras near Donghu Road"); 110 calls
  // only with a place word ("东湖路附近的110警情"), as "王小路的110记录" is about a person.
  const placeOnly = intents.size > 0 && [...intents].every((i) => PLACE_INTENTS.includes(i));
  if (placeOnly && (here || intents.has('cameras')) && subjects.length === 0) {
    const road = findRoad(rest.s);
    const value = road?.value.replace(ADDRESS_LEADING, '');
    if (road && value) {
      rest.s = rest.s.slice(0, road.start) + ' '.repeat(road.end - road.start) + rest.s.slice(road.end);
      subjects.push({ kind: 'address', value });
    }
  }
  const names = [...chineseNames(rest.s), ...englishNames(rest.s, QUESTION_WORDS)];
  for (const n of names) {
    subjects.push(birthYear !== undefined ? { kind: 'name', value: n, birthYear } : { kind: 'name', value: n });
  }

  if (badId && subjects.length === 0) return { kind: 'invalid', reason: 'bad-id-check', value: badId.value };

  // A resident ID identifies one person: it is the subject whatever else was named.
  const id = subjects.find((s) => s.kind === 'id');
  const distinct = id ? [id] : subjects;

  // Record intents win over the generic ones (身份证 … 前科 is about prior cases).
  let wanted = [...intents];
  if (wanted.some((i) => RECORD_INTENTS.includes(i) || i === 'cameras')) {
    wanted = wanted.filter((i) => i !== 'person' && i !== 'phoneOwner' && i !== 'vehicle');
  }

  if (distinct.length === 0) {
    if (wanted.length > 0 && wanted.every((i) => PLACE_INTENTS.includes(i)) && (here || wanted.includes('cameras'))) {
      return choose(wanted, { kind: 'here' }, false);
    }
    const last = context.lastPerson;
    if (pronoun || wanted.length > 0 || recordWord) {
      if (!last) {
        return { kind: 'clarify', reason: 'need-subject', choices: [] };
      }
      const subject: Subject = { kind: 'person', value: last.key, name: last.name };
      if (wanted.length === 0) {
        const options = recordWord ? GENERIC_RECORD_CHOICES : PRONOUN_ONLY_CHOICES;
        return {
          kind: 'clarify',
          reason: 'which-intent',
          choices: options.map((intent) => ({ intent, subject, followUp: true })),
        };
      }
      return choose(wanted, subject, true);
    }
    return { kind: 'unknown' };
  }

  if (distinct.length > 1) {
    // Several subjects: one choice per subject, with the intent asked or the subject's own.
    const choices = distinct.map((subject) => ({ intent: intentFor(wanted, subject, recordWord), subject }));
    return { kind: 'clarify', reason: 'which-subject', choices };
  }

  const subject = distinct[0]!;
  if (wanted.length === 0) {
    if (subject.kind === 'address') {
      return {
        kind: 'clarify',
        reason: 'which-intent',
        choices: PLACE_INTENTS.map((intent) => ({ intent, subject })),
      };
    }
    if (recordWord && subject.kind !== 'here') {
      return {
        kind: 'clarify',
        reason: 'which-intent',
        choices: GENERIC_RECORD_CHOICES.map((intent) => ({ intent, subject })),
      };
    }
    return {
      kind: 'query',
      query: { intent: DEFAULT_INTENT[subject.kind as keyof typeof DEFAULT_INTENT] ?? 'person', subject },
    };
  }
  if (subject.kind === 'address' && !wanted.every((i) => PLACE_INTENTS.includes(i))) {
    // An address answers place look-ups only; other intents need a person.
    const place = wanted.filter((i) => PLACE_INTENTS.includes(i));
    if (place.length === 0) return { kind: 'clarify', reason: 'need-subject', choices: [] };
    wanted = place;
  }
  // A generic intent that does not fit the subject gives way to the subject's own (a plate's "number" is its plate).
  if (wanted.length > 1 && subject.kind !== 'address') {
    const own = DEFAULT_INTENT[subject.kind as keyof typeof DEFAULT_INTENT];
    if (
      wanted.includes(own) &&
      wanted.every((i) => i === own || i === 'person' || i === 'phoneOwner' || i === 'vehicle')
    ) {
      wanted = [own];
    }
  }
  void owner;
  return choose(wanted, subject, false);
}

function intentFor(wanted: Intent[], subject: Subject, recordWord: boolean): Intent {
  if (wanted.length === 1) return wanted[0]!;
  if (subject.kind === 'address' || subject.kind === 'here' || subject.kind === 'point') return 'cameras';
  void recordWord;
  return DEFAULT_INTENT[subject.kind];
}

function choose(wanted: Intent[], subject: Subject, followUp: boolean): ParseResult {
  const q = (intent: Intent): LookupQuery => (followUp ? { intent, subject, followUp } : { intent, subject });
  if (wanted.length === 1) return { kind: 'query', query: q(wanted[0]!) };
  return { kind: 'clarify', reason: 'which-intent', choices: wanted.map(q) };
}
