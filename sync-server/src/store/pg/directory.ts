/**
 * The PostgreSQL store's directory: units, posts, persons and who is on duty where, written whole (seeded once or
 * replaced in one transaction) and read back in their order.
 */
import type pg from 'pg';
import type { OnDutyInfo, PostInfo, PostKind, UnitInfo } from '@muster/protocol';
import type { PgDb } from './db.ts';
import { personOf } from '../sqlite/rows.ts';
import type { PersonRow, PostDbRow, UnitDbRow } from '../sqlite/rows.ts';
import type { Directory, PersonRecord, Store } from '../store.ts';

async function writeDirectory(c: pg.PoolClient, directory: Directory, persons: readonly PersonRecord[]): Promise<void> {
  await c.query('DELETE FROM units; DELETE FROM posts; DELETE FROM persons; DELETE FROM on_duty;');
  for (const [ord, u] of directory.units.entries()) {
    await c.query(
      'INSERT INTO units (ord, id, name, name_en, parent_id, kind, initials) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [ord, u.id, u.name, u.nameEn, u.parentId, u.kind, u.initials ?? null],
    );
  }
  for (const [ord, p] of directory.posts.entries()) {
    await c.query(
      `INSERT INTO posts (ord, id, unit_id, name, name_en, kind, capabilities, initials, phone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        ord,
        p.id,
        p.unitId,
        p.name,
        p.nameEn,
        p.kind,
        JSON.stringify(p.capabilities ?? []),
        p.initials ?? null,
        p.phone ?? null,
      ],
    );
  }
  for (const p of persons) {
    await c.query(
      `INSERT INTO persons (id, police_no, name, unit_id, roles, post_ids, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [p.id, p.policeNo, p.name, p.unitId, JSON.stringify(p.roles), JSON.stringify(p.postIds), p.passwordHash],
    );
  }
  for (const d of directory.onDuty) {
    await c.query('INSERT INTO on_duty (person_id, post_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      d.personId,
      d.postId,
      d.since,
    ]);
  }
}

export type DirectoryOps = Pick<
  Store,
  | 'seedDirectory'
  | 'replaceDirectory'
  | 'getDirectory'
  | 'listPersons'
  | 'setOnDuty'
  | 'countPersons'
  | 'findPersonByPoliceNo'
  | 'getPerson'
>;

export function directoryOps(db: PgDb): DirectoryOps {
  const seedDirectory: Store['seedDirectory'] = (directory, persons) =>
    db.tx(async (c) => {
      await c.query('LOCK TABLE persons IN EXCLUSIVE MODE');
      const n = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM persons')).rows[0]!.n;
      if (n > 0) return false;
      await writeDirectory(c, directory, persons);
      return true;
    });

  const replaceDirectory: Store['replaceDirectory'] = (directory, persons) =>
    db.tx((c) => writeDirectory(c, directory, persons));

  const getDirectory: Store['getDirectory'] = async () => {
    const units: UnitInfo[] = (
      await db.q<UnitDbRow>('SELECT id, name, name_en, parent_id, kind, initials FROM units ORDER BY ord')
    ).map((u) => ({
      id: u.id,
      name: u.name,
      nameEn: u.name_en,
      parentId: u.parent_id,
      kind: u.kind,
      ...(u.initials ? { initials: u.initials } : {}),
    }));
    const posts: PostInfo[] = (
      await db.q<PostDbRow>(
        'SELECT id, unit_id, name, name_en, kind, capabilities, initials, phone FROM posts ORDER BY ord',
      )
    ).map((p) => ({
      id: p.id,
      unitId: p.unit_id,
      name: p.name,
      nameEn: p.name_en,
      kind: p.kind as PostKind,
      capabilities: JSON.parse(p.capabilities) as string[],
      ...(p.initials ? { initials: p.initials } : {}),
      ...(p.phone ? { phone: p.phone } : {}),
    }));
    const onDuty: OnDutyInfo[] = (
      await db.q<{ person_id: string; post_id: string; since: number }>(
        'SELECT person_id, post_id, since FROM on_duty ORDER BY since, person_id, post_id',
      )
    ).map((d) => ({ personId: d.person_id, postId: d.post_id, since: d.since }));
    return { units, posts, onDuty };
  };

  const listPersons: Store['listPersons'] = async () =>
    (await db.q<PersonRow>('SELECT * FROM persons ORDER BY id')).map(personOf);

  const setOnDuty: Store['setOnDuty'] = async (personId, postId, on, since) => {
    await db.ready();
    const r = on
      ? await db.pool.query(
          'INSERT INTO on_duty (person_id, post_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [personId, postId, since],
        )
      : await db.pool.query('DELETE FROM on_duty WHERE person_id = $1 AND post_id = $2', [personId, postId]);
    return (r.rowCount ?? 0) > 0;
  };

  const countPersons: Store['countPersons'] = async () =>
    (await db.q<{ n: number }>('SELECT count(*)::int AS n FROM persons'))[0]!.n;

  const findPersonByPoliceNo: Store['findPersonByPoliceNo'] = async (policeNo) => {
    const r = (await db.q<PersonRow>('SELECT * FROM persons WHERE police_no = $1', [policeNo]))[0];
    return r ? personOf(r) : null;
  };

  const getPerson: Store['getPerson'] = async (id) => {
    const r = (await db.q<PersonRow>('SELECT * FROM persons WHERE id = $1', [id]))[0];
    return r ? personOf(r) : null;
  };

  return {
    seedDirectory,
    replaceDirectory,
    getDirectory,
    listPersons,
    setOnDuty,
    countPersons,
    findPersonByPoliceNo,
    getPerson,
  };
}
