/**
 * The fictional demo directory (sync-server/demo/directory.json): units, posts and persons, seeded into the
 * store with hashed passwords the first time the server starts on an empty data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PostInfo, PostKind, UnitInfo } from '@muster/protocol';
import { hashPassword } from '../auth/passwords.ts';
import type { Logger } from '../log.ts';
import type { Directory, PersonRecord, Store } from '../store/store.ts';

export const DEMO_DIRECTORY_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../demo/directory.json',
);

export interface DemoPerson {
  id: string;
  policeNo: string;
  name: string;
  unitId: string;
  roles: string[];
  postIds: string[];
}

export interface DemoDirectory extends Directory {
  password: string;
  persons: DemoPerson[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string, where: string): string => {
  const v = o[k];
  if (typeof v !== 'string' || v === '') throw new Error(`${where}: ${k} must be a non-empty string`);
  return v;
};
const strs = (o: Obj, k: string, where: string): string[] => {
  const v = o[k];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${where}: ${k} must be strings`);
  return v as string[];
};
const list = (o: Obj, k: string): Obj[] => {
  const v = o[k];
  if (!Array.isArray(v) || !v.every(isObj)) throw new Error(`directory: ${k} must be a list of objects`);
  return v;
};

/** Parses and cross-checks a directory document; throws with the first problem found. */
export function parseDirectory(raw: unknown): DemoDirectory {
  if (!isObj(raw)) throw new Error('directory: not an object');
  const units: UnitInfo[] = list(raw, 'units').map((u, i) => {
    const where = `units[${i}]`;
    const parentId = u['parentId'];
    if (parentId !== null && typeof parentId !== 'string')
      throw new Error(`${where}: parentId must be a string or null`);
    return {
      id: str(u, 'id', where),
      name: str(u, 'name', where),
      nameEn: str(u, 'nameEn', where),
      parentId,
      kind: str(u, 'kind', where),
    };
  });
  const unitIds = new Set(units.map((u) => u.id));
  if (unitIds.size !== units.length) throw new Error('directory: duplicate unit id');
  for (const u of units) {
    if (u.parentId !== null && !unitIds.has(u.parentId)) throw new Error(`directory: unit ${u.id} has unknown parent`);
  }
  const posts: PostInfo[] = list(raw, 'posts').map((p, i) => {
    const where = `posts[${i}]`;
    const kind = str(p, 'kind', where);
    if (kind !== 'management' && kind !== 'support' && kind !== 'leader') throw new Error(`${where}: bad kind`);
    const unitId = str(p, 'unitId', where);
    if (!unitIds.has(unitId)) throw new Error(`${where}: unknown unit ${unitId}`);
    return {
      id: str(p, 'id', where),
      unitId,
      name: str(p, 'name', where),
      nameEn: str(p, 'nameEn', where),
      kind: kind as PostKind,
    };
  });
  const postIds = new Set(posts.map((p) => p.id));
  if (postIds.size !== posts.length) throw new Error('directory: duplicate post id');
  const persons: DemoPerson[] = list(raw, 'persons').map((p, i) => {
    const where = `persons[${i}]`;
    const person = {
      id: str(p, 'id', where),
      policeNo: str(p, 'policeNo', where),
      name: str(p, 'name', where),
      unitId: str(p, 'unitId', where),
      roles: strs(p, 'roles', where),
      postIds: strs(p, 'postIds', where),
    };
    if (!unitIds.has(person.unitId)) throw new Error(`${where}: unknown unit ${person.unitId}`);
    for (const id of person.postIds) if (!postIds.has(id)) throw new Error(`${where}: unknown post ${id}`);
    return person;
  });
  if (new Set(persons.map((p) => p.policeNo)).size !== persons.length) throw new Error('directory: duplicate policeNo');
  if (new Set(persons.map((p) => p.id)).size !== persons.length) throw new Error('directory: duplicate person id');
  return { units, posts, persons, password: str(raw, 'password', 'directory') };
}

export function readDirectoryFile(file = DEMO_DIRECTORY_FILE): DemoDirectory {
  return parseDirectory(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Seeds the store from the directory when it has no person yet. Resolves true when it seeded. */
export async function seedDirectory(store: Store, directory: DemoDirectory, log: Logger): Promise<boolean> {
  if ((await store.countPersons()) > 0) return false;
  const persons: PersonRecord[] = await Promise.all(
    directory.persons.map(async (p) => ({ ...p, passwordHash: await hashPassword(directory.password) })),
  );
  const seeded = await store.seedDirectory({ units: directory.units, posts: directory.posts }, persons);
  if (seeded) log.info('seeded the demo directory', { units: directory.units.length, persons: persons.length });
  return seeded;
}
