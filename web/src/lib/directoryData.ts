/**
 * The directory as the server sends it, made safe for core's `Directory`: fields the server does not send yet
 * (persons, onDuty, capabilities, initials) get empty defaults, malformed rows are dropped. Pure: tested in Node.
 */
import type { DirectoryData, OnDuty, Person, Post, Unit } from '@muster/core';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface RawDirectory {
  units?: unknown;
  posts?: unknown;
  persons?: unknown;
  onDuty?: unknown;
}

export function toDirectoryData(raw: RawDirectory): DirectoryData {
  const units: Unit[] = [];
  for (const u of list(raw.units)) {
    if (!isObj(u) || !str(u['id']) || !str(u['name'])) continue;
    const unit: Unit = {
      id: u['id'] as string,
      name: u['name'] as string,
      nameEn: str(u['nameEn']) ?? (u['name'] as string),
      parentId: str(u['parentId']),
      kind: (str(u['kind']) ?? 'station') as Unit['kind'],
    };
    const initials = str(u['initials']);
    if (initials) unit.initials = initials.toLowerCase();
    units.push(unit);
  }
  const posts: Post[] = [];
  for (const p of list(raw.posts)) {
    if (!isObj(p) || !str(p['id']) || !str(p['unitId']) || !str(p['name'])) continue;
    const kind = p['kind'];
    if (kind !== 'management' && kind !== 'support' && kind !== 'leader') continue;
    const post: Post = {
      id: p['id'] as string,
      unitId: p['unitId'] as string,
      name: p['name'] as string,
      nameEn: str(p['nameEn']) ?? (p['name'] as string),
      kind,
      capabilities: strs(p['capabilities']),
    };
    const initials = str(p['initials']);
    if (initials) post.initials = initials.toLowerCase();
    const phone = str(p['phone']);
    if (phone && phone.length <= 40) post.phone = phone; // ESC-5
    posts.push(post);
  }
  const persons: Person[] = [];
  for (const p of list(raw.persons)) {
    if (!isObj(p) || !str(p['id']) || !str(p['name'])) continue;
    persons.push({
      id: p['id'] as string,
      name: p['name'] as string,
      policeNo: str(p['policeNo']) ?? '',
      unitId: str(p['unitId']) ?? '',
      roles: strs(p['roles']) as Person['roles'],
      postIds: strs(p['postIds']),
    });
  }
  const onDuty: OnDuty[] = [];
  for (const d of list(raw.onDuty)) {
    if (!isObj(d) || !str(d['personId']) || !str(d['postId'])) continue;
    onDuty.push({
      personId: d['personId'] as string,
      postId: d['postId'] as string,
      since: typeof d['since'] === 'number' ? d['since'] : 0,
    });
  }
  return { units, posts, persons, onDuty };
}

/** Replaces one person's duty rows with the posts they are on duty at (from `/api/me` or a duty change). */
export function withDuty(
  data: DirectoryData,
  personId: string,
  postIds: readonly string[],
  since: number,
): DirectoryData {
  const kept = data.onDuty.filter((d) => d.personId !== personId);
  const prior = new Map(data.onDuty.filter((d) => d.personId === personId).map((d) => [d.postId, d.since]));
  return {
    ...data,
    onDuty: [...kept, ...postIds.map((postId) => ({ personId, postId, since: prior.get(postId) ?? since }))],
  };
}
