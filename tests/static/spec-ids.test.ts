/**
 * SPEC-1: docs/SPEC.md and the code agree on rule IDs. Every rule ID quoted in code or tests (`ABC-12`) is a rule
 * of SPEC, and every rule of SPEC is quoted by at least one test file (`*.test.ts`). Tokens that look like IDs but
 * are not rules (encodings, hashes, fictional case numbers) are listed below.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['packages', 'sync-server', 'web/src', 'tests', 'scripts'];
const SKIP = new Set(['node_modules', 'dist', 'results']);
/** Rule IDs: 2–8 capitals, a dash, 1–3 digits (fictional case numbers such as JQ-0001 have four digits). */
const ID = /\b([A-Z][A-Z0-9]{1,7}-\d{1,3})\b(?!-)/g;
/** Tokens of that shape that are not rules. */
const NOT_RULES = new Set(['UTF-8', 'UTF-16', 'SHA-256', 'JQ-1']);
/**
 * Rules of SPEC that no test quotes yet, each a debt to pay (a test of its own); an entry whose rule becomes quoted
 * fails the test until it is removed here, so the list only shrinks.
 */
const UNQUOTED_DEBT = new Set<string>([]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name) || e.name.startsWith('.')) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|svelte|mjs)$/.test(e.name) ? [p] : [];
  });
}

const spec = readFileSync(join(ROOT, 'docs', 'SPEC.md'), 'utf8');
const specIds = new Set([...spec.matchAll(/^- \*\*([A-Z][A-Z0-9]*-\d+)\*\*/gm)].map((m) => m[1]!));
const used = new Map<string, string>();
const quotedByTests = new Set<string>();
for (const f of DIRS.flatMap((d) => files(join(ROOT, d)))) {
  // This file names example tokens; it counts only as quoting its own rule.
  const self = f === import.meta.filename;
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(ID)) {
    const id = m[1]!;
    if (NOT_RULES.has(id) || (self && id !== 'SPEC-1')) continue;
    if (!used.has(id)) used.set(id, relative(ROOT, f));
    if (f.endsWith('.test.ts')) quotedByTests.add(id);
  }
}

describe('SPEC-1: rule IDs in SPEC, code and tests reconcile', () => {
  it('SPEC has rules (the scan works)', () => {
    expect(specIds.size).toBeGreaterThan(100);
    expect(used.size).toBeGreaterThan(100);
  });

  it('every rule ID used in code or tests is a rule of docs/SPEC.md', () => {
    const missing = [...used].filter(([id]) => !specIds.has(id)).map(([id, f]) => `${id} (${f})`);
    expect(missing).toEqual([]);
  });

  it('every rule of docs/SPEC.md is quoted by a test', () => {
    expect([...specIds].filter((id) => !quotedByTests.has(id) && !UNQUOTED_DEBT.has(id))).toEqual([]);
  });

  it('the list of unquoted rules only names rules of SPEC that are still unquoted', () => {
    expect([...UNQUOTED_DEBT].filter((id) => !specIds.has(id) || quotedByTests.has(id))).toEqual([]);
  });
});
