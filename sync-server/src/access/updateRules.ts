/**
 * ACL-6/ACL-7: what a member may write. An incoming update is inspected before it is applied: every record it
 * adds at the top of a device collection, every record it replaces and every record it deletes. Records are
 * write-once (a client never replaces or deletes one); each names its author, who must be the connection's
 * person; signing for a post needs the person on duty at that invited post (DIR-4); a new group's record must name
 * the connecting person as initiator and a unit of theirs. Requests (decision, close, supervision) are not judged
 * here but by the workflow (REQ-1), so a refused request is a record with a verdict, never a stuck update.
 */
import * as Y from 'yjs';
import type { Directory } from '@muster/core';
import { META_KEY, Root, STAMPED_COLLECTIONS, readClosure } from '@muster/core';
import type { Span } from '../relay/dropStructs.ts';
import type { DecodedUpdate } from '../stamping/serverOwned.ts';
import type { Asker, Membership } from './access.ts';

export interface NewRecord {
  collection: string;
  key: string;
  value: Record<string, unknown> | null;
  /** Replaces a live record already in the document. */
  replaces: boolean;
  /** The item of the update that writes it. */
  span: Span;
}

export interface Inspection {
  added: NewRecord[];
  /** Live records (collection/key) the update deletes. */
  deleted: { collection: string; key: string; value: unknown; span: Span }[];
}

const COLLECTIONS = new Set<string>(STAMPED_COLLECTIONS);

function structAt(doc: Y.Doc, id: Y.ID): Y.Item | null {
  const structs = doc.store.clients.get(id.client);
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null;
  const s = structs[Y.findIndexSS(structs, id.clock)];
  return s instanceof Y.Item ? s : null;
}

export function inspectUpdate(doc: Y.Doc, decoded: DecodedUpdate): Inspection {
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  const items = new Map<string, Y.Item>();
  for (const s of decoded.structs) if (s instanceof Y.Item) items.set(`${s.id.client}:${s.id.clock}`, s);
  /**
   * Root and key of a top-level map item. An item written over another value of its key carries no key in the
   * update (only its origin): the key is the origin's, found in the document or, for a key written twice in one
   * update, in the update itself (then it replaces a record too).
   */
  const placeOf = (item: Y.Item): { root: string; key: string; inUpdate: boolean } | null => {
    let it: Y.Item = item;
    let inUpdate = false;
    for (let hops = 0; hops < 10_000; hops++) {
      if (it.parentSub !== null && typeof it.parent === 'string')
        return { root: it.parent, key: it.parentSub, inUpdate };
      if (it.parentSub !== null && it.parent === null && it.origin === null) return null;
      const ref = it.origin;
      if (!ref) return null;
      const s = structAt(doc, ref);
      if (s) {
        if (!(s.parent instanceof Y.AbstractType) || s.parent._item !== null || s.parentSub === null) return null;
        const root = names.get(s.parent);
        return root === undefined ? null : { root, key: s.parentSub, inUpdate };
      }
      const next = items.get(`${ref.client}:${ref.clock}`);
      if (!next) return null;
      it = next;
      inUpdate = true;
    }
    return null;
  };
  const added: NewRecord[] = [];
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    if (s.id.clock + s.length <= Y.getState(doc.store, s.id.client)) continue;
    const place = placeOf(s);
    if (place === null || !COLLECTIONS.has(place.root)) continue;
    let value: Record<string, unknown> | null = null;
    if (s.content instanceof Y.ContentAny) {
      const v = s.content.arr[s.content.arr.length - 1];
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) value = v as Record<string, unknown>;
    }
    const existing = doc.getMap(place.root)._map.get(place.key);
    added.push({
      collection: place.root,
      key: place.key,
      value,
      replaces: place.inUpdate || (!!existing && !existing.deleted),
      span: { client: s.id.client, clock: s.id.clock, len: s.length },
    });
  }
  const deleted: Inspection['deleted'] = [];
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const known = Y.getState(doc.store, client);
    for (const d of ranges) {
      if (d.clock >= known) continue;
      for (let i = Y.findIndexSS(structs, d.clock); i < structs.length; i++) {
        const s = structs[i]!;
        if (s.id.clock >= d.clock + d.len) break;
        if (!(s instanceof Y.Item) || s.deleted || s.parentSub === null) continue;
        if (!(s.parent instanceof Y.AbstractType) || s.parent._item !== null) continue;
        const root = names.get(s.parent);
        if (root === undefined || !COLLECTIONS.has(root)) continue;
        const content = s.content instanceof Y.ContentAny ? s.content.arr[s.content.arr.length - 1] : null;
        deleted.push({
          collection: root,
          key: s.parentSub,
          value: content,
          span: { client: s.id.client, clock: s.id.clock, len: s.length },
        });
      }
    }
  }
  return { added, deleted };
}

const ACTOR_FIELD: Record<string, string> = {
  [Root.meta]: 'initiator',
  [Root.entries]: 'author',
  [Root.invitations]: 'invitedBy',
};

function actorOf(collection: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const a = (value as Record<string, unknown>)[ACTOR_FIELD[collection] ?? 'by'];
  if (typeof a !== 'object' || a === null) return null;
  const id = (a as Record<string, unknown>)['personId'];
  return typeof id === 'string' ? id : null;
}

const str = (v: Record<string, unknown>, k: string): string | null =>
  typeof v[k] === 'string' ? (v[k] as string) : null;

export interface Violation {
  code: string;
  message: string;
  /** Audit action for a detected attempt on a server fact (sign-off, decision …). */
  detail: Record<string, unknown>;
}

export interface RuleContext {
  asker: Asker;
  membership: Membership;
  /** The document as the server holds it (before the update). */
  doc: Y.Doc;
  directory: Directory;
}

/** Closure time when the group is closed, for LATE-1 checks. */
export const closedAt = (doc: Y.Doc): number | null => readClosure(doc)?.at ?? null;

/** REQ-2: every violation of the update, each with the item (or deletion) to drop. */
export function checkAllRecords(ins: Inspection, ctx: RuleContext): (Violation & { span: Span; deletes: boolean })[] {
  const createsMeta = ins.added.some((r) => r.collection === Root.meta && r.key === META_KEY);
  const out: (Violation & { span: Span; deletes: boolean })[] = [];
  for (const d of ins.deleted) {
    const v = checkRecords({ added: [], deleted: [d] }, ctx);
    if (v) out.push({ ...v, span: d.span, deletes: true });
  }
  for (const r of ins.added) {
    const v = checkRecords({ added: [r], deleted: [] }, ctx, createsMeta);
    if (v) out.push({ ...v, span: r.span, deletes: false });
  }
  return out;
}

export function checkRecords(ins: Inspection, ctx: RuleContext, createsMetaHint?: boolean): Violation | null {
  const { asker, membership: m } = ctx;
  for (const d of ins.deleted) {
    return {
      code: 'write-once',
      message: `records are never deleted (${d.collection}/${d.key} of ${actorOf(d.collection, d.value) ?? 'unknown'})`,
      detail: { collection: d.collection, key: d.key, author: actorOf(d.collection, d.value) },
    };
  }
  const createsMeta = createsMetaHint ?? ins.added.some((r) => r.collection === Root.meta && r.key === META_KEY);
  for (const r of ins.added) {
    const where = `${r.collection}/${r.key}`;
    const base = { collection: r.collection, key: r.key };
    if (r.replaces) {
      return { code: 'write-once', message: `records are written once (${where} exists)`, detail: base };
    }
    if (!r.value) return { code: 'bad-record', message: `${where} is not a record`, detail: base };
    const actor = actorOf(r.collection, r.value);
    if (actor !== asker.sub) {
      return {
        code: 'impersonation',
        message: `${where} names ${actor ?? 'nobody'} as its author, not you`,
        detail: { ...base, claimed: actor },
      };
    }
    const postId = str(r.value, 'postId');
    switch (r.collection) {
      case Root.meta: {
        if (r.key !== META_KEY)
          return { code: 'bad-record', message: `${where} is not the group record`, detail: base };
        const unitId = str(r.value, 'unitId');
        const d = ctx.directory;
        const person = d.person(asker.sub);
        const own = new Set([asker.unitId, ...(person?.postIds ?? []).map((p) => d.post(p)?.unitId ?? '')]);
        // A unit the directory does not know gives no one access through it; a known one must be the person's.
        const known = unitId !== null && d.unit(unitId) !== null;
        const allowed =
          unitId !== null && (!known || [...own].some((u) => u && (u === unitId || d.oversees(unitId, u))));
        if (!allowed) {
          return {
            code: 'foreign-unit',
            message: `a group may be started for your own unit or one above it, not ${unitId ?? 'none'}`,
            detail: { ...base, unitId },
          };
        }
        break;
      }
      case Root.invitations: {
        if (createsMeta || m.initiator === asker.sub) break;
        const d = ctx.directory;
        const mayInvite =
          [...m.posts].some((p) => d.post(p)?.kind === 'management' && d.isOnDuty(asker.sub, p)) ||
          (asker.roles.includes('leader') && m.unitId !== null && d.oversees(asker.unitId, m.unitId));
        if (!mayInvite) {
          return {
            code: 'may-not-invite',
            message: 'only the initiator, an invited management post or an overseeing leader invites posts',
            detail: base,
          };
        }
        break;
      }
      case Root.decisionRequests:
      case Root.supervisions:
      case Root.closeRequests:
        // REQ-1: requests are records; the workflow judges them (APR-3, SUP-1, CLOSE-1) and records a refusal.
        break;
      case Root.signoffs: {
        const d = ctx.directory;
        if (!postId || !d.isOnDuty(asker.sub, postId)) {
          return {
            code: 'not-on-duty',
            message: `you are not on duty at post ${postId ?? '(none)'} (${where})`,
            detail: { ...base, postId },
          };
        }
        const invitationId = str(r.value, 'invitationId');
        const inv = invitationId ? ctx.doc.getMap(Root.invitations).get(invitationId) : null;
        const invPost = (inv as { post?: { id?: unknown } } | null)?.post?.id;
        if (!m.posts.has(postId) || (inv && invPost !== postId)) {
          return {
            code: 'not-invited',
            message: `post ${postId} is not invited to this group (${where})`,
            detail: { ...base, postId, invitationId },
          };
        }
        break;
      }
      default:
        break;
    }
  }
  return null;
}
