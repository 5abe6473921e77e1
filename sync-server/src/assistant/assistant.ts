/**
 * ASSIST-4..ASSIST-7: answers a question the relay received. The question is read (core `readQuestion`: parser with
 * the thread's last person, or a tapped choice of an earlier answer); the person's rate is checked; each source of
 * the intent is asked if the policy lets the person query it (role, clearance from duty); a phone, plate, ID or name
 * is resolved to its person first when the source is kept by person; sensitive values are masked in the answer
 * (a cleared member reveals one through `reveal`). Every look-up is audited: who, group, question, sources, counts.
 */
import type * as Y from 'yjs';
import { herePlaces, maskValue, mayQuerySource, mayRevealLookup, readQuestion } from '@muster/core';
import type { AnswerRecord, AnswerResult, Directory, Intent, LookupQuery, QuestionRecord, Subject } from '@muster/core';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { IntentModel } from './intentModel.ts';
import { RateLimit } from './rateLimit.ts';
import type { Source, SourceRow } from './source.ts';

export const LOOKUP_AUDIT = { query: 'lookup', reveal: 'lookup-reveal' } as const;

export interface AssistantOptions {
  /** Resolves once the sources are open (demo data may still be generated at start-up). */
  sources: Promise<Source[]>;
  directory: () => Directory;
  audit: Auditor;
  clock: Clock;
  log: Logger;
  /** Look-ups per person per minute. */
  perMinute: number;
  /** Rows written per source (the total counts all). */
  pageSize?: number;
  /** ASSIST-13: reads questions the parser cannot (off unless configured). */
  model?: IntentModel | null;
}

/** Sources that find a person by a subject kind: the person source by ID or name, phones, vehicles. */
const RESOLVER_INTENT: Partial<Record<Subject['kind'], Intent>> = {
  id: 'person',
  name: 'person',
  phone: 'phoneOwner',
  plate: 'vehicle',
};

export class Assistant {
  readonly #o: AssistantOptions;
  readonly #rate: RateLimit;

  constructor(o: AssistantOptions) {
    this.#o = o;
    this.#rate = new RateLimit(o.perMinute);
  }

  async sources(): Promise<Source[]> {
    return this.#o.sources;
  }

  /** The answer to one question of a group document (not written: the caller records it). */
  async answer(doc: Y.Doc, docName: string, q: QuestionRecord): Promise<AnswerRecord> {
    const now = () => this.#o.clock.now();
    const who = q.by.personId;
    const base = { questionId: q.id, results: [] as AnswerResult[] };
    let readBy: 'model' | undefined;
    const audit = (detail: Record<string, unknown>): void =>
      this.#o.audit.note({
        action: LOOKUP_AUDIT.query,
        actor: who,
        docName,
        detail: { questionId: q.id, question: q.text, ...(readBy ? { readBy } : {}), ...detail },
      });
    if (!this.#rate.take(who, now())) {
      audit({ outcome: 'refused', code: 'rate-limited' });
      return { ...base, status: 'refused', code: 'rate-limited', at: now() };
    }
    let reading = readQuestion(doc, q);
    // ASSIST-13: a question the parser cannot read may be read by the model (its query checked against the text).
    if (reading.kind === 'unknown' && !q.choiceOf && this.#o.model) {
      const query = await this.#o.model.read(q.text);
      if (query) {
        reading = { kind: 'query', query };
        readBy = 'model';
      }
    }
    if (reading.kind === 'clarify') {
      audit({ outcome: 'clarify', code: reading.reason });
      return { ...base, status: 'clarify', code: reading.reason, choices: reading.choices, at: now() };
    }
    if (reading.kind === 'invalid') {
      audit({ outcome: 'invalid', code: reading.reason });
      return { ...base, status: 'invalid', code: reading.reason, at: now() };
    }
    if (reading.kind === 'unknown') {
      audit({ outcome: 'unknown' });
      return { ...base, status: 'unknown', at: now() };
    }
    let query = reading.query;
    const sources = (await this.#o.sources).filter((s) => s.info.intent === query.intent);
    if (query.subject.kind === 'here') {
      // ASSIST-12: the latest finding's position when a source is asked by position, else the incident address.
      const place = herePlaces(
        doc,
        sources.some((s) => s.info.keys.includes('point')),
      )[0];
      if (!place) {
        audit({ outcome: 'refused', code: 'no-location', intent: query.intent });
        return { ...base, status: 'refused', code: 'no-location', query, at: now() };
      }
      query = { ...query, subject: { kind: place.kind, value: place.value } };
    }
    const dir = this.#o.directory();
    // A subject the sources are not kept by is resolved to its person first.
    let personKeys: string[] | null = null;
    let personName: string | null = query.subject.kind === 'person' ? query.subject.name : null;
    const needsPerson = sources.some((s) => !s.info.keys.includes(query.subject.kind));
    if (query.subject.kind === 'person') personKeys = [query.subject.value];
    else if (needsPerson) {
      const found = await this.#resolvePersons(query.subject);
      const distinct = [...new Map(found.map((r) => [r.personKey!, r])).values()];
      if (distinct.length > 1) {
        const choices: LookupQuery[] = distinct.slice(0, 8).map((r) => ({
          intent: query.intent,
          subject: { kind: 'person', value: r.personKey!, name: personLabel(r) },
        }));
        audit({ outcome: 'clarify', code: 'which-person', intent: query.intent, matches: distinct.length });
        return { ...base, status: 'clarify', code: 'which-subject', choices, query, at: now() };
      }
      personKeys = distinct.map((r) => r.personKey!);
      const first = distinct[0]?.values['name'] ?? distinct[0]?.values['owner'];
      personName = typeof first === 'string' ? first : null;
    }
    const results: AnswerResult[] = [];
    const pageSize = this.#o.pageSize ?? 20;
    for (const s of sources) {
      const head = {
        source: s.info.id,
        name: s.info.name,
        fields: s.info.fields.map((f) => ({ key: f.key, name: f.name })),
      };
      const verdict = mayQuerySource(dir, who, s.info);
      if (!verdict.ok) {
        results.push({ ...head, rows: [], total: 0, error: verdict.code });
        continue;
      }
      try {
        const direct = s.info.keys.includes(query.subject.kind) && query.subject.kind !== 'person';
        const asked =
          direct && query.subject.kind !== 'here'
            ? await s.query({
                by: query.subject.kind,
                value: query.subject.value,
                ...(query.subject.kind === 'name' && query.subject.birthYear !== undefined
                  ? { birthYear: query.subject.birthYear }
                  : {}),
                limit: pageSize,
              })
            : personKeys && personKeys.length === 1 && s.info.keys.includes('person')
              ? await s.query({ by: 'person', value: personKeys[0]!, limit: pageSize })
              : { rows: [], total: 0 };
        results.push({ ...head, rows: asked.rows.map((r) => masked(s, r)), total: asked.total });
        if (
          personKeys === null &&
          (query.intent === 'person' || query.intent === 'phoneOwner' || query.intent === 'vehicle')
        ) {
          const owners = [...new Set(asked.rows.map((r) => r.personKey).filter((k): k is string => !!k))];
          if (owners.length === 1) {
            personKeys = owners;
            personName = await this.#nameOf(owners[0]!);
          }
        }
      } catch (error) {
        this.#o.log.warn('look-up source failed', { source: s.info.id, error: errorText(error) });
        results.push({ ...head, rows: [], total: 0, error: 'source-error' });
      }
    }
    const answer: AnswerRecord = { ...base, status: 'answered', query, results, at: now() };
    if (personKeys && personKeys.length === 1) {
      answer.person = {
        key: personKeys[0]!,
        name: personName ?? (await this.#nameOf(personKeys[0]!)) ?? personKeys[0]!,
      };
    }
    audit({
      outcome: 'answered',
      intent: query.intent,
      subject: query.subject.kind,
      sources: results.map((r) => ({ id: r.source, total: r.total, ...(r.error ? { error: r.error } : {}) })),
      results: results.reduce((n, r) => n + r.total, 0),
    });
    return answer;
  }

  async #resolvePersons(subject: Subject): Promise<SourceRow[]> {
    const intent = RESOLVER_INTENT[subject.kind];
    if (!intent || subject.kind === 'here' || subject.kind === 'person') return [];
    const out: SourceRow[] = [];
    for (const s of await this.#o.sources) {
      if (s.info.intent !== intent || !s.info.keys.includes(subject.kind)) continue;
      const r = await s.query({
        by: subject.kind,
        value: subject.value,
        ...(subject.kind === 'name' && subject.birthYear !== undefined ? { birthYear: subject.birthYear } : {}),
        limit: 50,
      });
      out.push(...r.rows.filter((x) => x.personKey));
    }
    return out;
  }

  async #nameOf(personKey: string): Promise<string | null> {
    for (const s of await this.#o.sources) {
      if (s.info.intent !== 'person' || !s.info.keys.includes('person')) continue;
      const r = await s.query({ by: 'person', value: personKey, limit: 1 });
      const name = r.rows[0]?.values['name'];
      if (typeof name === 'string') return name;
    }
    return null;
  }

  /**
   * ASSIST-6: one masked value of an answer, for a person with reveal clearance. The row must be in the answer
   * and the field masked there. Audited either way.
   */
  async reveal(
    personId: string,
    docName: string,
    answer: AnswerRecord | null,
    req: { sourceId: string; rowKey: string; field: string },
  ): Promise<{ ok: true; value: string | number | null } | { ok: false; status: number; code: string }> {
    const refuse = (status: number, code: string) => {
      this.#o.audit.note({ action: LOOKUP_AUDIT.reveal, actor: personId, docName, detail: { ...req, outcome: code } });
      return { ok: false as const, status, code };
    };
    const may = mayRevealLookup(this.#o.directory(), personId);
    if (!may.ok) return refuse(403, may.code);
    const result = answer?.results.find((r) => r.source === req.sourceId);
    const row = result?.rows.find((r) => r.key === req.rowKey);
    if (!answer || !row || !row.masked.includes(req.field)) return refuse(404, 'not-in-answer');
    const source = (await this.#o.sources).find((s) => s.info.id === req.sourceId);
    const full = source ? await source.get(req.rowKey) : null;
    if (!full || !(req.field in full.values)) return refuse(404, 'not-found');
    this.#o.audit.note({
      action: LOOKUP_AUDIT.reveal,
      actor: personId,
      docName,
      detail: { ...req, questionId: answer.questionId, outcome: 'revealed' },
    });
    return { ok: true, value: full.values[req.field] ?? null };
  }
}

function personLabel(r: SourceRow): string {
  const name = r.values['name'] ?? r.values['owner'];
  const birth = r.values['birth'];
  return `${typeof name === 'string' ? name : r.personKey}${typeof birth === 'string' ? ` (${birth.slice(0, 4)})` : ''}`;
}

function masked(s: Source, r: SourceRow): AnswerResult['rows'][number] {
  const values: Record<string, string | number | null> = {};
  const maskedKeys: string[] = [];
  for (const f of s.info.fields) {
    const v = r.values[f.key] ?? null;
    if (f.mask && v !== null) {
      values[f.key] = maskValue(v, f.mask);
      maskedKeys.push(f.key);
    } else values[f.key] = v;
  }
  return { key: r.key, values, masked: maskedKeys };
}
