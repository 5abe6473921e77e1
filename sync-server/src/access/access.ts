/**
 * Who may open which document (ACL-1..ACL-5), decided on the server from the directory and the server's own
 * membership registry (`group_members`), never from what a client wrote into a document.
 *
 *  - group:<id>: write for the initiator, persons on duty at or holding a registered invited post, persons the
 *    group addresses (ACL-8: registered `person` rows, on duty at an `addressed-post`), and leaders whose unit oversees the group's unit; read-only for auditors and admins; nobody
 *    else. A group the server has never seen may be created by any person who is not only an auditor/admin:
 *    the connection is `create` until its first update registers it (meta initiator = the connecting person).
 *  - inbox:<personId>: write for that person; read-only for auditors and admins.
 */
import type { ActingPerson, Directory, OpenMode } from '@muster/core';
import { hasReadOnlyRole, mayOpen } from '@muster/core';
import { parseDocName, parseInboxDocName } from '@muster/protocol';
import type { GroupMember, Store } from '../store/store.ts';

export type AccessMode = OpenMode;

export interface AccessDecision {
  mode: AccessMode;
  /** Why (stable code): `initiator`, `invited-post`, `overseeing-leader`, `auditor`, `not-a-member`, … */
  reason: string;
}

/** Who is asking: the token claims (sub, unitId, roles) are enough. */
export interface Asker {
  sub: string;
  unitId: string;
  roles: readonly string[];
}

export const isOverseer = (p: Asker): boolean => hasReadOnlyRole(p);

export interface Membership {
  initiator: string | null;
  unitId: string | null;
  posts: Set<string>;
  persons: Set<string>;
  /** ACL-8: posts the group addressed (instructions, escalations): persons on duty there may open it. */
  addressedPosts: Set<string>;
}

/** An empty membership (a group the server has not registered). */
export const emptyMembership = (): Membership => ({
  initiator: null,
  unitId: null,
  posts: new Set(),
  persons: new Set(),
  addressedPosts: new Set(),
});

const setOf = (m: Membership, kind: GroupMember['kind']): Set<string> | null =>
  kind === 'post' ? m.posts : kind === 'person' ? m.persons : kind === 'addressed-post' ? m.addressedPosts : null;

export function membershipOf(rows: readonly GroupMember[]): Membership {
  const m = emptyMembership();
  for (const r of rows) {
    if (r.kind === 'initiator') m.initiator ??= r.ref;
    else if (r.kind === 'unit') m.unitId ??= r.ref;
    else setOf(m, r.kind)?.add(r.ref);
  }
  return m;
}

/** ACL-1: a person's standing in a registered group: the policy's `mayOpen` over the registry. */
export function groupAccess(asker: Asker, m: Membership, dir: Directory): AccessDecision {
  return mayOpen(dir, subjectOf(asker), m);
}

/** The policy's acting person for a token's claims. */
export const subjectOf = (asker: Asker): ActingPerson => ({
  personId: asker.sub,
  unitId: asker.unitId,
  roles: asker.roles,
});

export class AccessControl {
  readonly #store: Store;
  /** The directory now (core `Directory`, kept current by the directory service). */
  readonly directory: () => Directory;
  /**
   * HIST-2: registry rows of groups in use, mirrored from the store, as a bounded LRU: a Map keeps insertion
   * order, so every hit moves its entry to the end and the first entry is the least recently used one, which
   * is evicted when the cache is full. Growing history never clears the whole cache at once.
   */
  readonly #cache = new Map<string, Membership>();
  readonly #cacheLimit: number;

  /** SCALE-3: whether a group's membership may be kept in memory (several nodes: only while this node owns it). */
  readonly #cacheable: (groupId: string) => boolean;

  constructor(
    store: Store,
    directory: () => Directory,
    opts: { cacheLimit?: number; cacheable?: (groupId: string) => boolean } = {},
  ) {
    this.#store = store;
    this.directory = directory;
    this.#cacheLimit = Math.max(1, opts.cacheLimit ?? 10_000);
    this.#cacheable = opts.cacheable ?? (() => true);
  }

  /** The number of memberships held in memory (bounded by the cache limit). */
  get cacheSize(): number {
    return this.#cache.size;
  }

  #touch(groupId: string): Membership | null {
    const m = this.#cache.get(groupId);
    if (!m) return null;
    // SCALE-3: kept while this node owned the group; another node may have registered members since.
    if (!this.#cacheable(groupId)) {
      this.#cache.delete(groupId);
      return null;
    }
    this.#cache.delete(groupId);
    this.#cache.set(groupId, m);
    return m;
  }

  #remember(groupId: string, m: Membership): void {
    if (!this.#cacheable(groupId)) return;
    this.#cache.delete(groupId);
    this.#cache.set(groupId, m);
    while (this.#cache.size > this.#cacheLimit) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }

  async membership(groupId: string): Promise<Membership> {
    const cached = this.#touch(groupId);
    if (cached) return cached;
    const m = membershipOf(await this.#store.listGroupMembers(groupId));
    if (m.initiator !== null) {
      // A concurrent load may have cached (and registered into) this group meanwhile: keep that one.
      const raced = this.#touch(groupId);
      if (raced) return raced;
      this.#remember(groupId, m);
    }
    return m;
  }

  /** The membership already loaded (for synchronous hooks), or null. */
  cachedMembership(groupId: string): Membership | null {
    return this.#touch(groupId);
  }

  /** ACL-2: registers members from server-accepted records; resolves to the rows that were new. */
  async register(groupId: string, rows: readonly Omit<GroupMember, 'groupId'>[]): Promise<GroupMember[]> {
    const fresh = await this.remember(groupId, rows);
    if (fresh.length > 0) await this.#store.addGroupMembers(fresh);
    return fresh;
  }

  /**
   * AUDIT-8: the membership held in memory takes members whose rows the store registers in the commit of the update
   * that brings them; resolves to the rows that were new here. Writes nothing.
   */
  async remember(groupId: string, rows: readonly Omit<GroupMember, 'groupId'>[]): Promise<GroupMember[]> {
    const m = await this.membership(groupId);
    const fresh = rows
      .filter((r) =>
        r.kind === 'initiator'
          ? m.initiator === null
          : r.kind === 'unit'
            ? m.unitId === null
            : !setOf(m, r.kind)?.has(r.ref),
      )
      .map((r) => ({ ...r, groupId }));
    if (fresh.length === 0) return [];
    for (const r of fresh) {
      if (r.kind === 'initiator') m.initiator = r.ref;
      else if (r.kind === 'unit') m.unitId = r.ref;
      else setOf(m, r.kind)?.add(r.ref);
    }
    if (m.initiator !== null) this.#remember(groupId, m);
    return fresh;
  }

  /**
   * ACL-8: the persons and posts a group addresses (from stamped records) as membership rows, taken into the
   * membership held in memory; null when the group itself is not registered yet. AUDIT-8: the caller registers them
   * in the store, which alone says which are new (each with its audit row).
   */
  async rememberAddressees(
    groupId: string,
    a: { persons: readonly string[]; posts: readonly string[] },
  ): Promise<GroupMember[] | null> {
    const m = await this.membership(groupId);
    if (m.initiator === null) return null;
    const at = Date.now();
    const rows = [
      ...a.persons.map((ref) => ({ kind: 'person' as const, ref, at })),
      ...a.posts.map((ref) => ({ kind: 'addressed-post' as const, ref, at })),
    ];
    await this.remember(groupId, rows);
    return rows.map((r) => ({ ...r, groupId }));
  }

  /** The decision for a document; `exists` says whether the server holds the group (else it may be created). */
  async decide(asker: Asker, docName: string, exists?: boolean): Promise<AccessDecision> {
    const inboxOf = parseInboxDocName(docName);
    if (inboxOf !== null) {
      if (inboxOf === asker.sub) return { mode: 'write', reason: 'own-inbox' };
      if (isOverseer(asker)) return { mode: 'read', reason: 'auditor' };
      return { mode: 'none', reason: 'not-your-inbox' };
    }
    const group = parseDocName(docName);
    if (!group) return { mode: 'none', reason: 'unknown-document' };
    const m = await this.membership(group.id);
    return mayOpen(this.directory(), subjectOf(asker), m.initiator === null ? null : m, exists);
  }

  /**
   * ACL-5: for the HTTP API, the group list and the inbox: may this person open (read at least) this document?
   * A group the server has not registered is not listed.
   */
  async canOpen(asker: Asker, docName: string): Promise<boolean> {
    const d = await this.decide(asker, docName, true);
    return d.mode === 'write' || d.mode === 'read';
  }
}
