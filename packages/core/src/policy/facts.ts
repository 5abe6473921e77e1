/** POL-1 on a device: the group facts from the group's document (the relay reads its registry and the document). */
import type * as Y from 'yjs';
import { META_KEY, Root, rootMap } from '../schema.ts';
import { parseEntry, parseInvitation, parseMeta, parseSupervision } from '../validate.ts';
import type { GroupFacts } from './definitions.ts';

/** The group's facts as its document shows them (devices; the relay uses its registry). */
export function groupFactsOf(doc: Y.Doc): GroupFacts {
  const meta = parseMeta(rootMap(doc, Root.meta).get(META_KEY));
  const posts = new Set<string>();
  for (const v of rootMap(doc, Root.invitations).values()) {
    const inv = parseInvitation(v);
    if (inv) posts.add(inv.post.id);
  }
  const persons = new Set<string>();
  const addressedPosts = new Set<string>();
  for (const v of rootMap(doc, Root.entries).values()) {
    const e = parseEntry(v);
    if (e?.type === 'instruction') for (const a of e.to) (a.kind === 'person' ? persons : addressedPosts).add(a.id);
  }
  return {
    initiator: meta?.initiator.personId ?? null,
    unitId: meta?.unitId ?? null,
    posts,
    persons,
    addressedPosts,
    supervisorPosts: supervisingPostsOf(doc),
  };
}

/**
 * POL-6 the leader posts supervising a group: its supervisions the relay did not refuse. The relay reads them from
 * the document it holds (its registry has no supervising posts) and devices from theirs, so a leader acting from a
 * supervising post is judged alike on both sides.
 */
export function supervisingPostsOf(doc: Y.Doc): Set<string> {
  const out = new Set<string>();
  const refusals = rootMap(doc, Root.refusals);
  for (const v of rootMap(doc, Root.supervisions).values()) {
    const sup = parseSupervision(v);
    if (sup && !refusals.has(`${Root.supervisions}/${sup.id}`)) out.add(sup.postId);
  }
  return out;
}
