/**
 * DIR-1/DIR-2: reading a directory file, JSON or CSV, into the rows core's `directoryFromRows` checks. JSON is read
 * with the line each object starts on (jsonLines.ts), so an error names the line of a bad record.
 *
 * CSV (UTF-8, RFC 4180 quoting): sections, each a line `[units]`, `[posts]`, `[persons]` or `[onDuty]`, then a
 * header line, then rows. Lists (`capabilities`, `roles`, `postIds`) are separated by `;`. Empty `parentId` is a root
 * unit; `since` is ms since the epoch or an ISO date. Blank lines and lines starting with `#` are ignored.
 */
import { SECTIONS, directoryFromObject, directoryFromRows } from '@muster/core';
import type { DirectoryRow, ImportError, ImportResult, Section } from '@muster/core';
import { JsonSyntaxError, parseJsonWithLines } from './jsonLines.ts';

export const CSV_HEADERS: Record<Section, string[]> = {
  units: ['id', 'name', 'nameEn', 'parentId', 'kind', 'initials'],
  posts: ['id', 'unitId', 'name', 'nameEn', 'kind', 'capabilities', 'initials', 'phone'],
  persons: ['id', 'name', 'policeNo', 'unitId', 'roles', 'postIds'],
  onDuty: ['personId', 'postId', 'since'],
};

/** DIR-1: a directory from the text of a JSON file. */
export function parseDirectoryJson(text: string, fileName: string): ImportResult {
  let parsed;
  try {
    parsed = parseJsonWithLines(text);
  } catch (e) {
    const line = e instanceof JsonSyntaxError ? e.line : 1;
    return { ok: false, errors: [{ file: fileName, line, field: 'file', message: `not valid JSON: ${String(e)}` }] };
  }
  return directoryFromObject(parsed.value, fileName, parsed.lineOf);
}

/** RFC 4180 records with the line each starts on. */
export function parseCsvRecords(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let line = 1;
  let i = 0;
  const t = text.replace(/^\uFEFF/, '');
  while (i < t.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (;;) {
      const c = t[i];
      if (c === undefined) {
        cells.push(cell);
        break;
      }
      if (quoted) {
        if (c === '"' && t[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          cell += c;
          i++;
        }
      } else if (c === '"' && cell === '') {
        quoted = true;
        i++;
      } else if (c === ',') {
        cells.push(cell);
        cell = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        cells.push(cell);
        i += c === '\r' && t[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        cell += c;
        i++;
      }
    }
    out.push({ line: start, cells });
  }
  return out;
}

const splitList = (s: string): string[] =>
  s
    .split(';')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** DIR-1: a directory from the text of a CSV file. */
export function parseDirectoryCsv(text: string, fileName: string): ImportResult {
  const errors: ImportError[] = [];
  const rows: DirectoryRow[] = [];
  let section: Section | null = null;
  let header: string[] | null = null;
  for (const { line, cells } of parseCsvRecords(text)) {
    const first = (cells[0] ?? '').trim();
    if (cells.every((c) => c.trim() === '') || first.startsWith('#')) continue;
    const m = /^\[(\w+)\]$/.exec(first);
    if (m) {
      section = (SECTIONS as readonly string[]).includes(m[1]!) ? (m[1] as Section) : null;
      header = null;
      if (!section) errors.push({ file: fileName, line, field: 'section', message: `unknown section [${m[1]}]` });
      continue;
    }
    if (!section) {
      errors.push({ file: fileName, line, field: 'section', message: 'a row before any [section] line' });
      continue;
    }
    if (!header) {
      header = cells.map((c) => c.trim());
      for (const h of CSV_HEADERS[section]) {
        if (!header.includes(h) && h !== 'initials' && h !== 'capabilities' && h !== 'phone') {
          errors.push({
            file: fileName,
            line,
            field: h,
            message: `column "${h}" missing from the [${section}] header`,
          });
        }
      }
      continue;
    }
    if (cells.length > header.length) {
      errors.push({
        file: fileName,
        line,
        field: section,
        message: `${cells.length} cells, header has ${header.length}`,
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((h, k) => {
      const v = (cells[k] ?? '').trim();
      if (h === 'capabilities' || h === 'roles' || h === 'postIds') fields[h] = splitList(v);
      else if (h === 'parentId') fields[h] = v === '' ? null : v;
      else if (h === 'initials' || h === 'phone') {
        if (v !== '') fields[h] = v;
      } else fields[h] = v;
    });
    rows.push({ section, line, fields });
  }
  return directoryFromRows(rows, fileName, errors);
}
