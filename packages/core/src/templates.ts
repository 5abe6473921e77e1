/**
 * TPL-1..TPL-4: incident types and group templates (一键拉群). Templates are data (JSON); posts are named relative
 * to the initiator's unit, by a fixed unit, or by a fixed post id, and expanded against the directory.
 */
import type { Directory, Unit, UnitKind } from './directory.ts';
import { POST_KINDS, UNIT_KINDS } from './directory.ts';
import type { PostKind, PostRef } from './schema.ts';
import { DEFAULT_DEADLINE_MINUTES } from './sla.ts';
import { isId, isMinutes, isObj } from './validate.ts';

export interface IncidentType {
  id: string;
  name: string;
  nameEn: string;
}

export const INCIDENT_TYPES: readonly IncidentType[] = [
  { id: 'theft', name: '盗窃/抢劫', nameEn: 'Theft / robbery' },
  { id: 'assault', name: '伤害', nameEn: 'Assault' },
  { id: 'missing-person', name: '走失', nameEn: 'Missing person' },
  { id: 'fraud', name: '诈骗', nameEn: 'Fraud' },
  { id: 'traffic', name: '交通', nameEn: 'Traffic' },
  { id: 'public-service', name: '政务服务任务', nameEn: 'Public-service task' },
  { id: 'dispute', name: '纠纷', nameEn: 'Dispute' },
];

/** CLOSE-4: default closure deadline, 24 hours. */
export const DEFAULT_CLOSURE_DEADLINE_MINUTES = 24 * 60;

export type RelativeBase = 'own-unit' | 'sub-bureau' | 'city-bureau';

interface SpecCommon {
  /** Overrides SLA-1's default for the post kind. */
  deadlineMinutes?: number;
}
/** Posts of a unit found relative to the initiator's unit; `unitKind`/`unitName` pick one unit below the base. */
export interface RelativeSpec extends SpecCommon {
  relative: RelativeBase;
  unitKind?: UnitKind;
  unitName?: string;
  postKind: PostKind;
  capability?: string;
}
export interface UnitSpec extends SpecCommon {
  unitId: string;
  postKind: PostKind;
  capability?: string;
}
export interface PostSpec extends SpecCommon {
  postId: string;
}
export type TemplatePostSpec = RelativeSpec | UnitSpec | PostSpec;

export interface GroupTemplate {
  id: string;
  incidentType: string;
  name: string;
  nameEn: string;
  kind: 'incident' | 'task';
  posts: TemplatePostSpec[];
  closureDeadlineMinutes?: number;
}

export interface ExpandedPost {
  post: PostRef;
  deadlineMinutes: number;
}

export interface ExpandedTemplate {
  templateId: string;
  posts: ExpandedPost[];
  closureDeadlineMinutes: number;
}

export interface TemplateError {
  templateId: string;
  /** Index of the post entry, or -1 for the template itself. */
  entry: number;
  message: string;
}

const describe = (s: TemplatePostSpec): string =>
  'postId' in s
    ? `post "${s.postId}"`
    : 'unitId' in s
      ? `${s.postKind} post of unit "${s.unitId}"${s.capability ? ` with ${s.capability}` : ''}`
      : `${s.postKind} post of ${s.relative}${s.unitKind ? ` ${s.unitKind}` : ''}${s.unitName ? ` "${s.unitName}"` : ''}${
          s.capability ? ` with ${s.capability}` : ''
        }`;

/**
 * TPL-2: expands a template for an initiator's unit into the posts to invite, with their deadlines (SLA-1 defaults),
 * each post once. Every entry must resolve to at least one post; otherwise the errors name what is missing.
 */
export function expandTemplate(
  template: GroupTemplate,
  directory: Directory,
  initiatorUnitId: string,
): { ok: true; expansion: ExpandedTemplate } | { ok: false; errors: TemplateError[] } {
  const errors: TemplateError[] = [];
  const fail = (entry: number, message: string) => errors.push({ templateId: template.id, entry, message });
  if (!directory.unit(initiatorUnitId)) fail(-1, `initiator's unit "${initiatorUnitId}" is not in the directory`);
  const out: ExpandedPost[] = [];
  const seen = new Set<string>();
  template.posts.forEach((spec, k) => {
    const found: PostRef[] = [];
    if ('postId' in spec) {
      const ref = directory.postRef(spec.postId);
      if (ref) found.push(ref);
      else return fail(k, `${describe(spec)} does not exist in the directory`);
    } else {
      let unit: Unit | null = null;
      if ('unitId' in spec) {
        unit = directory.unit(spec.unitId);
        if (!unit) return fail(k, `unit "${spec.unitId}" does not exist in the directory`);
      } else {
        const base =
          spec.relative === 'own-unit'
            ? directory.unit(initiatorUnitId)
            : spec.relative === 'sub-bureau'
              ? directory.subBureauOf(initiatorUnitId)
              : directory.cityBureauOf(initiatorUnitId);
        if (!base) return fail(k, `the initiator's unit has no ${spec.relative}`);
        unit = base;
        if (spec.unitKind !== undefined || spec.unitName !== undefined) {
          const matches = directory
            .descendantsOf(base.id)
            .filter(
              (u) =>
                (spec.unitKind === undefined || u.kind === spec.unitKind) &&
                (spec.unitName === undefined || u.name === spec.unitName || u.nameEn === spec.unitName),
            );
          if (matches.length !== 1) {
            return fail(
              k,
              `${matches.length === 0 ? 'no' : 'more than one'} unit for ${describe(spec)} under "${base.name}"`,
            );
          }
          unit = matches[0]!;
        }
      }
      for (const p of directory.postsOf(unit.id, spec.postKind)) {
        if (spec.capability !== undefined && !p.capabilities.includes(spec.capability)) continue;
        const ref = directory.postRef(p.id);
        if (ref) found.push(ref);
      }
      if (found.length === 0) return fail(k, `no ${describe(spec)} in unit "${unit.name}" (${unit.id})`);
    }
    for (const post of found) {
      if (seen.has(post.id)) continue;
      seen.add(post.id);
      out.push({ post, deadlineMinutes: spec.deadlineMinutes ?? DEFAULT_DEADLINE_MINUTES[post.kind] });
    }
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    expansion: {
      templateId: template.id,
      posts: out,
      closureDeadlineMinutes: template.closureDeadlineMinutes ?? DEFAULT_CLOSURE_DEADLINE_MINUTES,
    },
  };
}

/** TPL-3: validates a templates file (`{ "templates": [...] }` or an array); all or nothing. */
export function parseTemplates(
  value: unknown,
): { ok: true; templates: GroupTemplate[] } | { ok: false; errors: TemplateError[] } {
  const list = Array.isArray(value) ? value : isObj(value) ? value['templates'] : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, errors: [{ templateId: '', entry: -1, message: 'expected an array of templates' }] };
  }
  const errors: TemplateError[] = [];
  const templates: GroupTemplate[] = [];
  const ids = new Set<string>();
  list.forEach((t: unknown, n) => {
    const tid = isObj(t) && typeof t['id'] === 'string' ? t['id'] : `#${n}`;
    const fail = (entry: number, message: string) => errors.push({ templateId: tid, entry, message });
    if (!isObj(t)) return fail(-1, 'a template must be an object');
    if (!isId(t['id'])) fail(-1, 'id: 1–64 letters, digits, - or _');
    else if (ids.has(t['id'])) fail(-1, `duplicate template id "${t['id']}"`);
    else ids.add(t['id']);
    if (!isId(t['incidentType'])) fail(-1, 'incidentType: an id');
    for (const f of ['name', 'nameEn'] as const) {
      if (typeof t[f] !== 'string' || !t[f].trim()) fail(-1, `${f}: required text`);
    }
    if (t['kind'] !== 'incident' && t['kind'] !== 'task') fail(-1, 'kind: incident or task');
    const cd = t['closureDeadlineMinutes'];
    if (cd !== undefined && !isMinutes(cd, 90 * 24 * 60)) fail(-1, 'closureDeadlineMinutes: whole minutes ≥ 1');
    const posts = t['posts'];
    if (!Array.isArray(posts) || posts.length === 0) return fail(-1, 'posts: a non-empty array');
    const specs: TemplatePostSpec[] = [];
    posts.forEach((p: unknown, k) => {
      if (!isObj(p)) return fail(k, 'a post entry must be an object');
      const d = p['deadlineMinutes'];
      if (d !== undefined && !isMinutes(d, 7 * 24 * 60)) fail(k, 'deadlineMinutes: whole minutes ≥ 1');
      const common = d === undefined ? {} : { deadlineMinutes: d as number };
      const kindOk = (POST_KINDS as readonly unknown[]).includes(p['postKind']);
      const cap = p['capability'];
      if (cap !== undefined && !isId(cap)) fail(k, 'capability: an id');
      const capPart = typeof cap === 'string' ? { capability: cap } : {};
      if (p['postId'] !== undefined) {
        if (!isId(p['postId'])) return fail(k, 'postId: an id');
        specs.push({ postId: p['postId'], ...common });
      } else if (p['unitId'] !== undefined) {
        if (!isId(p['unitId'])) fail(k, 'unitId: an id');
        if (!kindOk) fail(k, `postKind: one of ${POST_KINDS.join(', ')}`);
        specs.push({ unitId: String(p['unitId']), postKind: p['postKind'] as PostKind, ...capPart, ...common });
      } else {
        const rel = p['relative'];
        if (rel !== 'own-unit' && rel !== 'sub-bureau' && rel !== 'city-bureau') {
          return fail(k, 'needs postId, unitId, or relative (own-unit, sub-bureau, city-bureau)');
        }
        if (!kindOk) fail(k, `postKind: one of ${POST_KINDS.join(', ')}`);
        const uk = p['unitKind'];
        const un = p['unitName'];
        if (uk !== undefined && !(UNIT_KINDS as readonly unknown[]).includes(uk)) fail(k, 'unitKind: a unit kind');
        if (un !== undefined && (typeof un !== 'string' || !un.trim())) fail(k, 'unitName: text');
        const spec: RelativeSpec = { relative: rel, postKind: p['postKind'] as PostKind, ...capPart, ...common };
        if (typeof uk === 'string') spec.unitKind = uk as UnitKind;
        if (typeof un === 'string') spec.unitName = un;
        specs.push(spec);
      }
    });
    const tpl: GroupTemplate = {
      id: String(t['id']),
      incidentType: String(t['incidentType']),
      name: String(t['name']),
      nameEn: String(t['nameEn']),
      kind: t['kind'] === 'task' ? 'task' : 'incident',
      posts: specs,
    };
    if (typeof cd === 'number') tpl.closureDeadlineMinutes = cd;
    templates.push(tpl);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, templates };
}

/** The template for an incident type, if the list has one. */
export function templateFor(templates: readonly GroupTemplate[], incidentType: string): GroupTemplate | null {
  return templates.find((t) => t.incidentType === incidentType) ?? null;
}
