/**
 * I18N-1: every word the interface shows comes from the message files (zh-CN.ts, en.ts), so switching the language
 * switches all of it. Scans the components' markup for text and for labelling attributes written in place.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'web', 'src');
const LETTERS = /[A-Za-z\u4e00-\u9fff]/;
/** Language names are shown in their own language on purpose (settings). */
const ALLOWED = new Set(['简体中文', 'English']);

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : [],
  );
}

/** The markup of a component: no script, style, comments or `{…}` expressions (which may nest braces). */
function markup(source: string): string {
  let s = source
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

function hardcodedText(source: string): string[] {
  const m = markup(source);
  const found: string[] = [];
  for (const attr of m.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*)"/g))
    if (LETTERS.test(attr[2]!)) found.push(`${attr[1]}="${attr[2]}"`);
  const text = m.replace(/<[^>]*>/g, '\n').replace(/&[a-z]+;|&#\d+;/g, ' ');
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t && LETTERS.test(t) && !ALLOWED.has(t)) found.push(t);
  }
  return found;
}

describe('I18N-1: no interface text outside the message files', () => {
  it('finds text written in place (the check itself)', () => {
    expect(hardcodedText('<button>OK</button>')).toEqual(['OK']);
    expect(hardcodedText('<span aria-label="关闭">{t("x")}</span>')).toEqual(['aria-label="关闭"']);
    expect(hardcodedText('<p>{t("a")}&nbsp;· {t("b")}</p><script>const x = "y";</script>')).toEqual([]);
  });

  it('every component takes its words from the message files', () => {
    const files = svelteFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) =>
      hardcodedText(readFileSync(f, 'utf8')).map((t) => `${f.slice(SRC.length + 1)}: ${t}`),
    );
    expect(found).toEqual([]);
  });
});
