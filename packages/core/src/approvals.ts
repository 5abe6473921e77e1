/**
 * APR-1..APR-4: one-form approvals (一表通审). Approval types and their fields are data. A device writes the
 * request (a timeline entry) and a leader's device writes a decision request; the relay checks that the person is
 * on duty at a leader post of the group and writes the decision, with its time, into `server:decisions`.
 */
import type * as Y from 'yjs';
import type { Directory } from './directory.ts';
import { CommandError } from './errors.ts';
import { readMeta } from './group.ts';
import { supervisors } from './instructions.ts';
import { groupFactsOf, mayDecideApproval } from './policy.ts';
import { assertOpen, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, ApprovalEntry, DecisionRecord, DecisionRequestRecord, FieldValue } from './schema.ts';
import { isId, parseDecision, parseDecisionRequest, parseEntry, parseInvitation } from './validate.ts';
import { ENTRY_EXISTS, beginWrite, putOnce } from './writeOnce.ts';

export interface ApprovalFieldDef {
  name: string;
  label: string;
  labelEn: string;
  type: 'text' | 'number' | 'date' | 'select';
  required: boolean;
  /** Choices of a `select` field. */
  options?: string[];
}

export interface ApprovalType {
  id: string;
  name: string;
  nameEn: string;
  fields: ApprovalFieldDef[];
}

const f = (
  name: string,
  label: string,
  labelEn: string,
  type: ApprovalFieldDef['type'],
  required: boolean,
  options?: string[],
): ApprovalFieldDef =>
  options ? { name, label, labelEn, type, required, options } : { name, label, labelEn, type, required };

/** APR-1: the approval types of the report; a deployment may load others as data. */
export const DEFAULT_APPROVAL_TYPES: readonly ApprovalType[] = [
  {
    id: 'cctv-retrieval',
    name: '视频调取',
    nameEn: 'CCTV retrieval',
    fields: [
      f('location', '调取地点', 'Location', 'text', true),
      f('from', '开始日期', 'From (date)', 'date', true),
      f('to', '结束日期', 'To (date)', 'date', true),
      f('reason', '事由', 'Reason', 'text', true),
    ],
  },
  {
    id: 'data-query',
    name: '数据查询授权',
    nameEn: 'Data-query authorisation',
    fields: [
      f('subject', '查询对象', 'Subject', 'text', true),
      f('scope', '查询范围', 'Scope', 'select', true, ['identity', 'travel', 'communications', 'financial']),
      f('reason', '事由', 'Reason', 'text', true),
    ],
  },
  {
    id: 'cross-district',
    name: '跨区协作',
    nameEn: 'Cross-district assistance',
    fields: [
      f('district', '协作辖区', 'District', 'text', true),
      f('officers', '所需警力', 'Officers needed', 'number', false),
      f('reason', '事由', 'Reason', 'text', true),
    ],
  },
  {
    id: 'fast-track-service',
    name: '政务服务绿色通道',
    nameEn: 'Fast-track public service',
    fields: [
      f('service', '服务事项', 'Service', 'text', true),
      f('beneficiary', '服务对象', 'Beneficiary', 'text', true),
      f('deadline', '办结日期', 'Needed by (date)', 'date', false),
    ],
  },
];

/** A problem in approval-type data: the type (by index and id) and the field of it that is wrong. */
export interface ApprovalTypeError {
  /** Index of the type in the list, or -1 for the list itself. */
  index: number;
  /** The type's id, or `#<index>` when it has none. */
  typeId: string;
  /** The property at fault, e.g. `nameEn` or `fields[1].options`. */
  field: string;
  message: string;
}

const FIELD_TYPES: readonly ApprovalFieldDef['type'][] = ['text', 'number', 'date', 'select'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** APR-1: approval types as data (`{ types: [...] }` or an array); every problem is named by type and field. */
export function parseApprovalTypes(
  value: unknown,
): { ok: true; types: ApprovalType[] } | { ok: false; errors: ApprovalTypeError[] } {
  const list = Array.isArray(value) ? value : isRecord(value) ? value['types'] : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, errors: [{ index: -1, typeId: '', field: 'types', message: 'expected an array of types' }] };
  }
  const errors: ApprovalTypeError[] = [];
  const types: ApprovalType[] = [];
  const ids = new Set<string>();
  list.forEach((t: unknown, index) => {
    const typeId = isRecord(t) && typeof t['id'] === 'string' ? t['id'] : `#${index}`;
    const before = errors.length;
    const fail = (field: string, message: string) => errors.push({ index, typeId, field, message });
    if (!isRecord(t)) return fail('', 'a type must be an object');
    if (!isId(t['id'])) fail('id', '1–64 letters, digits, - or _');
    else if (ids.has(t['id'])) fail('id', `duplicate type id "${t['id']}"`);
    else ids.add(t['id']);
    if (!isText(t['name'])) fail('name', 'required text (zh label)');
    if (!isText(t['nameEn'])) fail('nameEn', 'required text (en label)');
    const fields = t['fields'];
    if (!Array.isArray(fields) || fields.length === 0) return fail('fields', 'a non-empty array');
    const defs: ApprovalFieldDef[] = [];
    const names = new Set<string>();
    fields.forEach((d: unknown, k) => {
      const at = `fields[${k}]`;
      if (!isRecord(d)) return fail(at, 'a field must be an object');
      const name = d['name'];
      if (!isId(name)) fail(`${at}.name`, '1–64 letters, digits, - or _');
      else if (names.has(name)) fail(`${at}.name`, `duplicate field name "${name}"`);
      else names.add(name);
      if (!isText(d['label'])) fail(`${at}.label`, 'required text (zh label)');
      if (!isText(d['labelEn'])) fail(`${at}.labelEn`, 'required text (en label)');
      const type = d['type'];
      const okType = typeof type === 'string' && (FIELD_TYPES as readonly string[]).includes(type);
      if (!okType) fail(`${at}.type`, `one of ${FIELD_TYPES.join(', ')}`);
      if (typeof d['required'] !== 'boolean') fail(`${at}.required`, 'true or false');
      const options = d['options'];
      if (type === 'select') {
        if (!Array.isArray(options) || options.length === 0 || !options.every(isText)) {
          fail(`${at}.options`, 'a select field needs a non-empty array of texts');
        } else if (new Set(options).size !== options.length) fail(`${at}.options`, 'duplicate option');
      } else if (options !== undefined) fail(`${at}.options`, 'only a select field has options');
      if (errors.length === before && isId(name) && okType) {
        const def: ApprovalFieldDef = {
          name,
          label: d['label'] as string,
          labelEn: d['labelEn'] as string,
          type: type as ApprovalFieldDef['type'],
          required: d['required'] as boolean,
        };
        if (type === 'select') def.options = [...(options as string[])];
        defs.push(def);
      }
    });
    if (errors.length === before) {
      types.push({ id: t['id'] as string, name: t['name'] as string, nameEn: t['nameEn'] as string, fields: defs });
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, types };
}

export interface FieldError {
  field: string;
  message: string;
}

/** APR-1: checks form values against a type's fields; returns the cleaned values or the errors, field by field. */
export function validateApprovalFields(
  type: ApprovalType,
  values: Record<string, unknown>,
): { ok: true; values: Record<string, FieldValue> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: Record<string, FieldValue> = {};
  const known = new Set(type.fields.map((d) => d.name));
  for (const k of Object.keys(values))
    if (!known.has(k)) errors.push({ field: k, message: 'not a field of this form' });
  for (const def of type.fields) {
    const raw = values[def.name];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (def.required) errors.push({ field: def.name, message: 'required' });
      continue;
    }
    if (def.type === 'number') {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(n)) errors.push({ field: def.name, message: 'must be a number' });
      else out[def.name] = n;
      continue;
    }
    if (typeof raw !== 'string' || raw.length > 5_000) {
      errors.push({ field: def.name, message: 'must be text of at most 5,000 characters' });
      continue;
    }
    const v = raw.trim();
    if (def.type === 'date' && !(/^\d{4}-\d{2}-\d{2}/.test(v) && Number.isFinite(Date.parse(v)))) {
      errors.push({ field: def.name, message: 'must be a date (YYYY-MM-DD)' });
    } else if (def.type === 'select' && !(def.options ?? []).includes(v)) {
      errors.push({ field: def.name, message: `must be one of ${(def.options ?? []).join(', ')}` });
    } else out[def.name] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, values: out };
}

export class ApprovalFieldsError extends CommandError {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super('bad-fields', errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.errors = errors;
  }
}

export interface RequestApprovalInput {
  id: string;
  type: ApprovalType;
  values: Record<string, unknown>;
  author: Actor;
  deviceTime: number;
}

/** APR-1: an approval request in the timeline; its values are checked against the type's fields. */
export function requestApproval(doc: Y.Doc, input: RequestApprovalInput): ApprovalEntry {
  beginWrite(doc, input.id, 'entry');
  const checked = validateApprovalFields(input.type, input.values);
  if (!checked.ok) throw new ApprovalFieldsError(checked.errors);
  const entry: ApprovalEntry = {
    id: input.id,
    type: 'approval',
    approvalType: input.type.id,
    typeName: input.type.name,
    values: checked.values,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.entries, entry, {
    unique: ENTRY_EXISTS,
    check: { parse: parseEntry, invalid: ['bad-approval', 'approval request is not valid'] },
  });
}

export interface DecideInput {
  id: string;
  approvalId: string;
  decision: 'approve' | 'reject';
  comment: string;
  by: Actor;
  /** The leader post the person decides for. */
  postId: string;
  deviceTime: number;
}

/** APR-2: a leader's device asks the relay to record a decision; a rejection needs a comment. */
export function requestDecision(doc: Y.Doc, input: DecideInput): DecisionRequestRecord {
  assertOpen(doc);
  const approval = parseEntry(rootMap(doc, Root.entries).get(input.approvalId));
  if (!approval || approval.type !== 'approval') throw new CommandError('no-approval', 'no such approval request');
  if (readDecision(doc, input.approvalId)) throw new CommandError('already-decided', 'this request is decided');
  const comment = input.comment.trim();
  if (input.decision === 'reject' && !comment)
    throw new CommandError('comment-required', 'a rejection needs a comment');
  const record: DecisionRequestRecord = { ...input, comment };
  return putOnce(doc, Root.decisionRequests, record, {
    check: { parse: parseDecisionRequest, invalid: ['bad-decision', 'decision is not valid'] },
  });
}

export function readDecision(doc: Y.Doc, approvalId: string): DecisionRecord | null {
  const d = parseDecision(rootMap(doc, Root.decisions).get(approvalId));
  return d && d.approvalId === approvalId ? d : null;
}

/**
 * APR-3: whether a person may decide the group's approvals for a post: on duty at it, the post is a leader post, and
 * it is invited to the group, supervises it, or its unit oversees the group's unit.
 */
export function mayDecide(doc: Y.Doc, directory: Directory, personId: string, postId: string): boolean {
  return mayDecideApproval(directory, personId, postId, groupFactsOf(doc));
}

export type DecisionVerdict =
  | { request: Stamped<DecisionRequestRecord>; ok: true; decision: Omit<DecisionRecord, 'at'> }
  | { request: Stamped<DecisionRequestRecord>; ok: false; code: 'no-approval' | 'not-a-leader' | 'superseded' };

/**
 * APR-3 (server): judges the decision requests of undecided approvals, in derived order; the first acceptable one
 * per approval wins, later ones are `superseded`. Requests of decided approvals are not returned.
 */
export function judgeDecisionRequests(doc: Y.Doc, directory: Directory): DecisionVerdict[] {
  const out: DecisionVerdict[] = [];
  const taken = new Set<string>();
  for (const r of stampedRecords(doc, Root.decisionRequests, parseDecisionRequest)) {
    const req = r.record;
    if (readDecision(doc, req.approvalId)) continue;
    const approval = parseEntry(rootMap(doc, Root.entries).get(req.approvalId));
    if (!approval || approval.type !== 'approval') out.push({ request: r, ok: false, code: 'no-approval' });
    else if (!mayDecide(doc, directory, req.by.personId, req.postId)) {
      out.push({ request: r, ok: false, code: 'not-a-leader' });
    } else if (taken.has(req.approvalId)) out.push({ request: r, ok: false, code: 'superseded' });
    else {
      taken.add(req.approvalId);
      const { approvalId, decision, comment, by, postId } = req;
      out.push({ request: r, ok: true, decision: { approvalId, requestId: req.id, decision, comment, by, postId } });
    }
  }
  return out;
}

/** APR-4 (server): writes accepted decisions with the server's time; an approval is decided once. */
export function recordDecisions(
  doc: Y.Doc,
  verdicts: readonly DecisionVerdict[],
  now: number,
  origin: unknown,
): DecisionRecord[] {
  const map = rootMap(doc, Root.decisions);
  const todo: DecisionRecord[] = [];
  for (const v of verdicts) {
    if (v.ok && !map.has(v.decision.approvalId) && !todo.some((d) => d.approvalId === v.decision.approvalId)) {
      todo.push({ ...v.decision, at: now });
    }
  }
  if (todo.length) doc.transact(() => todo.forEach((d) => map.set(d.approvalId, d)), origin);
  return todo;
}

export interface ApprovalView {
  approval: Stamped<ApprovalEntry>;
  status: 'pending' | 'approved' | 'rejected';
  decision: DecisionRecord | null;
  /** Decision requests written on devices (awaiting the relay, or refused by it). */
  requests: Stamped<DecisionRequestRecord>[];
}

export function approvalViews(doc: Y.Doc): ApprovalView[] {
  const requests = stampedRecords(doc, Root.decisionRequests, parseDecisionRequest);
  const out: ApprovalView[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    if (e.record.type !== 'approval') continue;
    const decision = readDecision(doc, e.id);
    out.push({
      approval: { ...e, record: e.record },
      status: decision ? (decision.decision === 'approve' ? 'approved' : 'rejected') : 'pending',
      decision,
      requests: requests.filter((r) => r.record.approvalId === e.id),
    });
  }
  return out;
}
