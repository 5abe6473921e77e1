/**
 * HIST-1: `GET /api/groups?since=<cursor>&limit=<n>`: the group list served from the list index, paged by cursor,
 * with deltas. A person's list is the groups listed under their keys (listKeyOf): themselves (initiator, addressed),
 * each post they are on duty at (invited or addressed), and for a leader on duty at a leader post every unit the post
 * oversees (SUP-1); admins and auditors list every group. The cursor carries the list version read up to and a hash
 * of the keys, so a cursor kept across a change of duty starts the list again (`reset`).
 */
import { createHash } from 'node:crypto';
import { hasReadOnlyRole } from '@muster/core';
import type { Directory } from '@muster/core';
import type { GroupListResponse, GroupSummary, TokenClaims } from '@muster/protocol';
import { isRemoval } from '../store/store.ts';
import type { Store } from '../store/store.ts';

export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 500;

/** The index keys a person lists groups under, or null for every group (admins, auditors). */
export function listKeysOf(claims: Pick<TokenClaims, 'sub' | 'roles'>, d: Directory): string[] | null {
  // POL-3: read-only roles (auditors, admins) read every group.
  if (hasReadOnlyRole(claims)) return null;
  const keys = new Set<string>([`p:${claims.sub}`]);
  for (const post of d.dutyPostsOf(claims.sub)) {
    keys.add(`post:${post.id}`);
    if (post.kind !== 'leader') continue;
    keys.add(`u:${post.unitId}`);
    for (const u of d.descendantsOf(post.unitId)) keys.add(`u:${u.id}`);
  }
  return [...keys].sort();
}

export function scopeOf(keys: readonly string[] | null): string {
  if (keys === null) return 'all';
  return createHash('sha256').update(keys.join('\n')).digest('base64url').slice(0, 12);
}

/** The list version a cursor holds for this scope: 0 (from the start) when absent, malformed or of another scope. */
export function parseCursor(cursor: string | null, scope: string): { since: number; reset: boolean } {
  if (!cursor) return { since: 0, reset: false };
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,16})$/.exec(cursor);
  if (!m || m[2] !== scope) return { since: 0, reset: true };
  return { since: Number(m[1]), reset: false };
}

export const cursorOf = (version: number, scope: string): string => `${version}.${scope}`;

export function pageLimit(raw: string | null): number {
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_PAGE) : DEFAULT_PAGE;
}

/** One page of a person's list after their cursor. */
export async function groupListPage(
  store: Store,
  claims: Pick<TokenClaims, 'sub' | 'roles'>,
  d: Directory,
  query: URLSearchParams,
  serverTime: number,
): Promise<GroupListResponse> {
  const keys = listKeysOf(claims, d);
  const scope = scopeOf(keys);
  const { since, reset } = parseCursor(query.get('since'), scope);
  const limit = pageLimit(query.get('limit'));
  const rows = await store.listGroupPage({ keys, since, limit: limit + 1 });
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.length > 0 ? (rows[rows.length - 1]!.version ?? since) : since;
  const groups: GroupSummary[] = [];
  const removed: string[] = [];
  for (const r of rows) {
    if (isRemoval(r)) removed.push(r.id);
    else groups.push(r);
  }
  // HIST-9: the groups that left the person's list since the cursor, in the same page as the rows.
  return { groups, serverTime, cursor: cursorOf(last, scope), more, reset, ...(removed.length ? { removed } : {}) };
}
