/**
 * The labelled look-up questions (lookup-questions.json, zh and en) and how the parser's reading compares with each
 * label. Shared by the accuracy test and the bench (per-intent precision).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParseContext, ParseResult } from '@muster/core';

export interface Labelled {
  q: string;
  context?: ParseContext;
  expect:
    | { kind: 'query'; intent: string; subject: Record<string, unknown>; followUp?: boolean }
    | { kind: 'clarify'; reason: string }
    | { kind: 'invalid'; reason: string }
    | { kind: 'unknown' };
}

export function loadLabelled(): Labelled[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'lookup-questions.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Labelled[];
}

/** The label of a reading in the set's terms: the intent (or `clarify:<reason>`, `invalid`, `unknown`). */
export function labelOf(r: ParseResult | Labelled['expect']): string {
  if (r.kind === 'query') return 'query' in r ? r.query.intent : r.intent;
  if (r.kind === 'clarify') return `clarify:${r.reason}`;
  return r.kind;
}

/** Whether a reading matches its label exactly: intent and subject (kind, value, birth year, follow-up). */
export function matches(r: ParseResult, e: Labelled['expect']): boolean {
  if (r.kind !== e.kind) return false;
  if (r.kind === 'query' && e.kind === 'query') {
    const got = r.query;
    return (
      got.intent === e.intent &&
      JSON.stringify(got.subject) === JSON.stringify(e.subject) &&
      (got.followUp ?? false) === (e.followUp ?? false)
    );
  }
  if (r.kind === 'clarify' && e.kind === 'clarify') return r.reason === e.reason && r.choices.length !== 1;
  if (r.kind === 'invalid' && e.kind === 'invalid') return r.reason === e.reason;
  return r.kind === 'unknown';
}

export interface PerLabel {
  label: string;
  /** Readings with this label that were right / all readings with this label (precision). */
  precision: number;
  predicted: number;
  /** Questions labelled so that were read right / all of them (recall). */
  recall: number;
  labelled: number;
}

export function score(
  items: Labelled[],
  parse: (q: string, c?: ParseContext) => ParseResult,
): {
  accuracy: number;
  total: number;
  wrong: { q: string; got: ParseResult; expect: Labelled['expect'] }[];
  perLabel: PerLabel[];
} {
  const wrong: { q: string; got: ParseResult; expect: Labelled['expect'] }[] = [];
  const pred = new Map<string, { right: number; all: number }>();
  const lab = new Map<string, { right: number; all: number }>();
  const bump = (m: Map<string, { right: number; all: number }>, k: string, ok: boolean): void => {
    const v = m.get(k) ?? { right: 0, all: 0 };
    v.all++;
    if (ok) v.right++;
    m.set(k, v);
  };
  for (const it of items) {
    const got = parse(it.q, it.context);
    const ok = matches(got, it.expect);
    if (!ok) wrong.push({ q: it.q, got, expect: it.expect });
    bump(pred, labelOf(got), ok);
    bump(lab, labelOf(it.expect), ok);
  }
  const labels = [...new Set([...pred.keys(), ...lab.keys()])].sort();
  const perLabel = labels.map((label) => {
    const p = pred.get(label) ?? { right: 0, all: 0 };
    const l = lab.get(label) ?? { right: 0, all: 0 };
    return {
      label,
      precision: p.all ? p.right / p.all : 0,
      predicted: p.all,
      recall: l.all ? l.right / l.all : 0,
      labelled: l.all,
    };
  });
  return { accuracy: (items.length - wrong.length) / items.length, total: items.length, wrong, perLabel };
}
