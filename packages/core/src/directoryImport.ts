/**
 * DIR-1/DIR-2: the directory a JSON or CSV file describes, from its rows. Every bad value gives an error naming the
 * file, the line and the field; the import is all or nothing: with any error no data is returned. Reading the file
 * itself (JSON with line numbers, CSV) is the relay's (sync-server/src/directory/directoryFile.ts).
 *
 * JSON: `{ "units": [...], "posts": [...], "persons": [...], "onDuty": [...] }` with the records of directory.ts
 * (`onDuty` may be omitted; other top-level keys such as `"fictional"` or `"note"` are ignored).
 *
 * CSV (UTF-8, RFC 4180 quoting): sections, each a line `[units]`, `[posts]`, `[persons]` or `[onDuty]`, then a
 * header line, then rows. Lists (`capabilities`, `roles`, `postIds`) are separated by `;`. Empty `parentId` is a root
 * unit; `since` is ms since the epoch or an ISO date. Blank lines and lines starting with `#` are ignored.
 *   [units]    id,name,nameEn,parentId,kind,initials
 *   [posts]    id,unitId,name,nameEn,kind,capabilities,initials
 *   [persons]  id,name,policeNo,unitId,roles,postIds
 *   [onDuty]   personId,postId,since
 */
import { ROLES, UNIT_KINDS, POST_KINDS } from './directory.ts';
import type { DirectoryData, OnDuty, Person, Post, Role, Unit, UnitKind } from './directory.ts';
import type { PostKind } from './schema.ts';
import { isId } from './validate.ts';

export interface ImportError {
  file: string;
  line: number;
  /** Field name, or the section/`file` for errors about a whole record or the file. */
  field: string;
  message: string;
}

export type ImportResult = { ok: true; directory: DirectoryData } | { ok: false; errors: ImportError[] };

export type Section = 'units' | 'posts' | 'persons' | 'onDuty';
export const SECTIONS: readonly Section[] = ['units', 'posts', 'persons', 'onDuty'];

/** One record of a file: its section, the line it starts on and its fields as read. */
export interface DirectoryRow {
  section: Section;
  line: number;
  fields: Record<string, unknown>;
}

/**
 * DIR-1: a directory from the object a JSON file holds (`{ units, posts, persons, onDuty }`); `lineOf` gives the line
 * an object started on in the file, when the parser kept it, so an error names it (DIR-2).
 */
export function directoryFromObject(
  value: unknown,
  fileName: string,
  lineOf: { get(o: object): number | undefined } = new WeakMap<object, number>(),
): ImportResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ file: fileName, line: 1, field: 'file', message: 'expected a JSON object' }] };
  }
  const top = value as Record<string, unknown>;
  const rows: DirectoryRow[] = [];
  const errors: ImportError[] = [];
  for (const section of SECTIONS) {
    const list = top[section];
    if (list === undefined && section === 'onDuty') continue;
    if (!Array.isArray(list)) {
      errors.push({ file: fileName, line: 1, field: section, message: `"${section}" must be an array` });
      continue;
    }
    for (const item of list) {
      const line = (typeof item === 'object' && item !== null ? lineOf.get(item) : undefined) ?? lineOf.get(list) ?? 1;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        errors.push({ file: fileName, line, field: section, message: 'each record must be an object' });
        continue;
      }
      rows.push({ section, line, fields: item as Record<string, unknown> });
    }
  }
  return directoryFromRows(rows, fileName, errors);
}

/** DIR-1/DIR-2: the directory the rows of a file describe, or every error (all or nothing). */
export function directoryFromRows(rows: DirectoryRow[], file: string, errors: ImportError[] = []): ImportResult {
  const units: Unit[] = [];
  const posts: Post[] = [];
  const persons: Person[] = [];
  const onDuty: OnDuty[] = [];
  const lines = new Map<object, number>();
  for (const row of rows) {
    const err = (field: string, message: string) => errors.push({ file, line: row.line, field, message });
    const f = row.fields;
    const id = (name: string): string => {
      const v = f[name];
      if (!isId(v)) err(name, 'required: 1–64 letters, digits, - or _');
      return typeof v === 'string' ? v : '';
    };
    const text = (name: string, max = 200): string => {
      const v = f[name];
      if (typeof v !== 'string' || v.trim() === '' || v.length > max)
        err(name, `required text of at most ${max} characters`);
      return typeof v === 'string' ? v.trim() : '';
    };
    const optInitials = (): string | undefined => {
      const v = f['initials'];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string' || !/^[a-z0-9]{1,40}$/.test(v)) {
        err('initials', 'lower-case letters and digits only');
        return undefined;
      }
      return v;
    };
    const list = (name: string, ok: (x: string) => boolean, what: string): string[] => {
      const v = f[name] ?? [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && ok(x))) {
        err(name, `must be a list of ${what}`);
        return [];
      }
      return v as string[];
    };
    const oneOf = <T extends string>(name: string, values: readonly T[]): T => {
      const v = f[name];
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
        err(name, `must be one of ${values.join(', ')}`);
      return v as T;
    };
    if (row.section === 'units') {
      const parent = f['parentId'] ?? null;
      if (parent !== null && !isId(parent)) err('parentId', 'must be a unit id or empty');
      const u: Unit = {
        id: id('id'),
        name: text('name'),
        nameEn: text('nameEn'),
        parentId: typeof parent === 'string' ? parent : null,
        kind: oneOf<UnitKind>('kind', UNIT_KINDS),
      };
      const initials = optInitials();
      if (initials) u.initials = initials;
      units.push(u);
      lines.set(u, row.line);
    } else if (row.section === 'posts') {
      const p: Post = {
        id: id('id'),
        unitId: id('unitId'),
        name: text('name'),
        nameEn: text('nameEn'),
        kind: oneOf<PostKind>('kind', POST_KINDS),
        capabilities: list('capabilities', (x) => isId(x), 'capability names'),
      };
      const initials = optInitials();
      if (initials) p.initials = initials;
      const phone = f['phone'];
      if (phone !== undefined && phone !== null) {
        if (typeof phone !== 'string' || !/^\+?[0-9][0-9 -]{2,30}$/.test(phone))
          err('phone', 'digits, spaces, + and -');
        else p.phone = phone;
      }
      posts.push(p);
      lines.set(p, row.line);
    } else if (row.section === 'persons') {
      const p: Person = {
        id: id('id'),
        name: text('name'),
        policeNo: text('policeNo', 40),
        unitId: id('unitId'),
        roles: list('roles', (x) => (ROLES as readonly string[]).includes(x), `roles (${ROLES.join(', ')})`) as Role[],
        postIds: list('postIds', (x) => isId(x), 'post ids'),
      };
      persons.push(p);
      lines.set(p, row.line);
    } else {
      const raw = f['since'];
      let since = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (Number.isNaN(since) && typeof raw === 'string') since = Date.parse(raw);
      if (!Number.isFinite(since) || since < 0) err('since', 'must be ms since the epoch or an ISO date');
      const d: OnDuty = { personId: id('personId'), postId: id('postId'), since };
      onDuty.push(d);
      lines.set(d, row.line);
    }
  }
  // References and uniqueness.
  const at = (rec: object, field: string, message: string) =>
    errors.push({ file, line: lines.get(rec) ?? 1, field, message });
  const unique = <T extends object>(list: T[], key: (x: T) => string, field: string) => {
    const seen = new Set<string>();
    for (const x of list) {
      const k = key(x);
      if (seen.has(k)) at(x, field, `duplicate ${field} "${k}"`);
      seen.add(k);
    }
    return seen;
  };
  const unitIds = unique(units, (u) => u.id, 'id');
  const postIds = unique(posts, (p) => p.id, 'id');
  const personIds = unique(persons, (p) => p.id, 'id');
  unique(persons, (p) => p.policeNo, 'policeNo');
  unique(onDuty, (d) => `${d.personId}/${d.postId}`, 'postId');
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const u of units) {
    if (u.parentId !== null && !unitIds.has(u.parentId)) at(u, 'parentId', `no unit "${u.parentId}"`);
    const seen = new Set<string>();
    for (let p: Unit | undefined = u; p; p = p.parentId === null ? undefined : byId.get(p.parentId)) {
      if (seen.has(p.id)) {
        at(u, 'parentId', `unit "${u.id}" is its own ancestor`);
        break;
      }
      seen.add(p.id);
    }
  }
  for (const p of posts) if (!unitIds.has(p.unitId)) at(p, 'unitId', `no unit "${p.unitId}"`);
  const personById = new Map(persons.map((p) => [p.id, p]));
  for (const p of persons) {
    if (!unitIds.has(p.unitId)) at(p, 'unitId', `no unit "${p.unitId}"`);
    for (const id of p.postIds) if (!postIds.has(id)) at(p, 'postIds', `no post "${id}"`);
  }
  for (const d of onDuty) {
    if (!personIds.has(d.personId)) at(d, 'personId', `no person "${d.personId}"`);
    if (!postIds.has(d.postId)) at(d, 'postId', `no post "${d.postId}"`);
    else if (personIds.has(d.personId) && !personById.get(d.personId)?.postIds.includes(d.postId)) {
      at(d, 'postId', `person "${d.personId}" does not hold post "${d.postId}"`);
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return { ok: true, directory: { units, posts, persons, onDuty } };
}
