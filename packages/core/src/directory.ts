/**
 * The directory: units in a hierarchy, posts (desks) of units, officers and who is on duty at a post. Plain data
 * (served by the server, cached on devices); the `Directory` class answers the questions the mechanism asks.
 */
import type { PostKind, PostRef } from './schema.ts';

export const UNIT_KINDS = [
  'city-bureau',
  'sub-bureau',
  'station',
  'kiosk',
  'brigade',
  'department',
  'outside',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const ROLES = ['frontline', 'patrol', 'desk', 'leader', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const POST_KINDS: readonly PostKind[] = ['management', 'support', 'leader'];

/** Capability of the duty leader's post that escalations go to first (ESC-2). */
export const DUTY_LEADER_CAPABILITY = 'duty-leader';

export interface Unit {
  id: string;
  /** Chinese name. */
  name: string;
  nameEn: string;
  parentId: string | null;
  kind: UnitKind;
  /** Pinyin initials of the Chinese name, lower case (e.g. `xjdd` for 刑警大队), for search. */
  initials?: string;
}

export interface Post {
  id: string;
  unitId: string;
  name: string;
  nameEn: string;
  kind: PostKind;
  /** e.g. `data-support`, `duty-leader`. */
  capabilities: string[];
  initials?: string;
  /** The post's duty telephone (值班电话), digits, spaces, + and - (ESC-5: shown with an escalation). */
  phone?: string;
}

export interface Person {
  id: string;
  name: string;
  policeNo: string;
  unitId: string;
  roles: Role[];
  /** Posts this person may staff. */
  postIds: string[];
}

export interface OnDuty {
  personId: string;
  postId: string;
  /** Time the person went on duty (server time). */
  since: number;
}

export interface DirectoryData {
  units: Unit[];
  posts: Post[];
  persons: Person[];
  onDuty: OnDuty[];
}

export class Directory {
  readonly data: DirectoryData;
  private readonly units = new Map<string, Unit>();
  private readonly posts = new Map<string, Post>();
  private readonly persons = new Map<string, Person>();
  private readonly children = new Map<string, Unit[]>();

  constructor(data: DirectoryData) {
    this.data = data;
    for (const u of data.units) this.units.set(u.id, u);
    for (const p of data.posts) this.posts.set(p.id, p);
    for (const p of data.persons) this.persons.set(p.id, p);
    for (const u of data.units) {
      if (u.parentId === null) continue;
      const list = this.children.get(u.parentId) ?? [];
      list.push(u);
      this.children.set(u.parentId, list);
    }
  }

  unit(id: string): Unit | null {
    return this.units.get(id) ?? null;
  }
  post(id: string): Post | null {
    return this.posts.get(id) ?? null;
  }
  person(id: string): Person | null {
    return this.persons.get(id) ?? null;
  }

  /** DIR-3: the unit itself, then its parent, up to the root (stops on a cycle). */
  ancestry(unitId: string): Unit[] {
    const out: Unit[] = [];
    const seen = new Set<string>();
    let u = this.unit(unitId);
    while (u && !seen.has(u.id)) {
      out.push(u);
      seen.add(u.id);
      u = u.parentId === null ? null : this.unit(u.parentId);
    }
    return out;
  }

  /** The nearest sub-bureau at or above a unit, or null (e.g. for city departments). */
  subBureauOf(unitId: string): Unit | null {
    return this.ancestry(unitId).find((u) => u.kind === 'sub-bureau') ?? null;
  }

  /** The city bureau at the top of a unit's hierarchy, or null. */
  cityBureauOf(unitId: string): Unit | null {
    return this.ancestry(unitId).find((u) => u.kind === 'city-bureau') ?? null;
  }

  /** Direct child units. */
  childrenOf(unitId: string): Unit[] {
    return this.children.get(unitId) ?? [];
  }

  /** Every unit below a unit (not the unit itself), breadth first. */
  descendantsOf(unitId: string): Unit[] {
    const out: Unit[] = [];
    const seen = new Set<string>([unitId]);
    const queue = [...this.childrenOf(unitId)];
    while (queue.length) {
      const u = queue.shift()!;
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push(u);
      queue.push(...this.childrenOf(u.id));
    }
    return out;
  }

  /** Posts of a unit, optionally of one kind, sorted by id. */
  postsOf(unitId: string, kind?: PostKind): Post[] {
    return this.data.posts
      .filter((p) => p.unitId === unitId && (kind === undefined || p.kind === kind))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Persons on duty at a post now. */
  onDutyAt(postId: string): Person[] {
    const ids = new Set(this.data.onDuty.filter((d) => d.postId === postId).map((d) => d.personId));
    return this.data.persons.filter((p) => ids.has(p.id));
  }

  /** DIR-4: whether a person is on duty at a post (who may sign, decide or close for it). */
  isOnDuty(personId: string, postId: string): boolean {
    return this.data.onDuty.some((d) => d.personId === personId && d.postId === postId);
  }

  /** Posts a person is on duty at. */
  dutyPostsOf(personId: string): Post[] {
    return this.data.onDuty.filter((d) => d.personId === personId).flatMap((d) => this.post(d.postId) ?? []);
  }

  /** SUP-1: a leader at `leaderUnitId` oversees a unit when the leader's unit is that unit or one of its ancestors. */
  oversees(leaderUnitId: string, unitId: string): boolean {
    return this.ancestry(unitId).some((u) => u.id === leaderUnitId);
  }

  /** Persons of the given units (exactly those units) holding a role, e.g. patrol officers for a clue. */
  personsIn(unitIds: readonly string[], role?: Role): Person[] {
    const set = new Set(unitIds);
    return this.data.persons.filter((p) => set.has(p.unitId) && (role === undefined || p.roles.includes(role)));
  }

  /**
   * ESC-2: the leader post to escalate to for a group of `unitId`: the duty leader post of the unit's sub-bureau;
   * else the nearest unit up the hierarchy with a leader post. A post with the `duty-leader` capability is preferred
   * within a unit, then the smallest id. `exceptPostId` (the overdue post itself) is never chosen.
   */
  escalationPostFor(unitId: string, exceptPostId?: string): Post | null {
    const pick = (u: Unit) => {
      const leaders = this.postsOf(u.id, 'leader').filter((p) => p.id !== exceptPostId);
      return leaders.find((p) => p.capabilities.includes(DUTY_LEADER_CAPABILITY)) ?? leaders[0] ?? null;
    };
    const sub = this.subBureauOf(unitId);
    const fromSub = sub ? pick(sub) : null;
    if (fromSub) return fromSub;
    for (const u of this.ancestry(unitId)) {
      const p = pick(u);
      if (p) return p;
    }
    return null;
  }

  /** The reference to a post that invitations carry. */
  postRef(postId: string): PostRef | null {
    const p = this.post(postId);
    const u = p ? this.unit(p.unitId) : null;
    if (!p || !u) return null;
    return { id: p.id, name: p.name, unitId: u.id, unitName: u.name, kind: p.kind };
  }

  /**
   * DIR-5: search posts by post or unit name (Chinese or English, case-insensitive substring) or by pinyin
   * initials (prefix). Best matches first: post name, then unit name, then initials; ties by id.
   */
  searchPosts(query: string, limit = 50): Post[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const scored: { post: Post; score: number }[] = [];
    for (const post of this.data.posts) {
      const unit = this.unit(post.unitId);
      let score = 0;
      if (post.name.toLowerCase().includes(q) || post.nameEn.toLowerCase().includes(q)) score = 3;
      else if (unit && (unit.name.toLowerCase().includes(q) || unit.nameEn.toLowerCase().includes(q))) score = 2;
      else if (post.initials?.startsWith(q) || unit?.initials?.startsWith(q)) score = 1;
      if (score > 0) scored.push({ post, score });
    }
    scored.sort((a, b) => b.score - a.score || (a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0));
    return scored.slice(0, limit).map((s) => s.post);
  }
}
