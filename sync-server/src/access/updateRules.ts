/**
 * ACL-6/ACL-7, POL-2: what a member may write into a group. Reads the one update inspector
 * (relay/inspectUpdate.ts) and asks the policy (`mayWriteRecord` in packages/core/src/policy.ts) about every record
 * the update adds. The relay's own rules of an update are here: records are write-once (a client never replaces or
 * deletes one), and only top-level records of the roots the policy lists are written (nested content and made-up
 * roots are refused). Server-owned roots are the server-owned guard's (STAMP-3). Requests (decision, close,
 * supervision) are judged by the workflow (REQ-1), so a refused request is a record with a verdict.
 */
import type * as Y from 'yjs';
import type { Directory, GroupFacts } from '@muster/core';
import { META_KEY, RECORD_RULES, Root, mayWriteRecord, readClosure, supervisingPostsOf } from '@muster/core';
import type { Span } from '../relay/inspectUpdate.ts';
import type { Inspection } from '../relay/inspectUpdate.ts';
import { isServerRoot } from '../stamping/serverOwned.ts';
import type { Asker } from './access.ts';

export interface Violation {
  code: string;
  message: string;
  /** collection and key of the record (for the notice and the audit). */
  detail: Record<string, unknown>;
}

export interface RuleContext {
  asker: Asker;
  membership: GroupFacts;
  /** The document as the server holds it (before the update). */
  doc: Y.Doc;
  directory: Directory;
}

/** Closure time when the group is closed, for LATE-1 checks. */
export const closedAt = (doc: Y.Doc): number | null => readClosure(doc)?.at ?? null;

const authorOf = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null) return null;
  for (const f of ['author', 'by', 'invitedBy', 'initiator']) {
    const a = (value as Record<string, unknown>)[f] as { personId?: unknown } | undefined;
    if (typeof a?.personId === 'string') return a.personId;
  }
  return null;
};

/** REQ-2: every violation of the update, each with the item (or deletion) to drop. */
export function checkAllRecords(ins: Inspection, ctx: RuleContext): (Violation & { span: Span; deletes: boolean })[] {
  const out: (Violation & { span: Span; deletes: boolean })[] = [];
  for (const d of ins.deleted) {
    if (isServerRoot(d.collection)) continue;
    const author = authorOf(d.value);
    out.push({
      code: 'write-once',
      message: `records are never deleted (${d.collection}/${d.key} of ${author ?? 'unknown'})`,
      detail: { collection: d.collection, key: d.key, author },
      span: d.span,
      deletes: true,
    });
  }
  for (const i of ins.items) {
    if (i.record || isServerRoot(i.root)) continue;
    const known = RECORD_RULES[i.root] !== undefined;
    out.push({
      code: known ? 'bad-record' : 'unknown-root',
      message: known
        ? `${i.root} holds records only, not nested content`
        : `${i.root} is not a part of a group a device writes`,
      detail: { collection: i.root, key: '' },
      span: i.span,
      deletes: false,
    });
  }
  const starting = ins.added.some((r) => r.collection === Root.meta && r.key === META_KEY);
  const subject = { personId: ctx.asker.sub, unitId: ctx.asker.unitId, roles: ctx.asker.roles };
  // POL-6: the registry knows no supervising posts; the document the relay holds does (as on a device).
  const group: GroupFacts = { ...ctx.membership, supervisorPosts: supervisingPostsOf(ctx.doc) };
  const wctx = { dir: ctx.directory, subject, group, doc: ctx.doc, starting };
  for (const r of ins.added) {
    if (isServerRoot(r.collection)) continue;
    const v = checkRecord(r, wctx);
    if (v) out.push({ ...v, span: r.span, deletes: false });
  }
  return out;
}

function checkRecord(r: Inspection['added'][number], ctx: Parameters<typeof mayWriteRecord>[0]): Violation | null {
  const where = `${r.collection}/${r.key}`;
  const base = { collection: r.collection, key: r.key };
  if (r.replaces) return { code: 'write-once', message: `records are written once (${where} exists)`, detail: base };
  const v = mayWriteRecord(ctx, r.collection, r.key, r.value);
  if (v.ok) return null;
  return { code: v.code, message: `${v.reason} (${where})`, detail: base };
}
