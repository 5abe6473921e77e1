/**
 * The PostgreSQL store's group list index (HIST-1): group rows, paged by list version, and the version bump that
 * moves a group to the end of every list it is in.
 */
import type pg from 'pg';
import type { PgDb } from './db.ts';
import { groupOf, pagedGroupOf } from '../sqlite/rows.ts';
import type { GroupRow } from '../sqlite/rows.ts';
import type { GroupPageRow, Store } from '../store.ts';

/** HIST-1: gives a group (its row and its keys) the next list version. */
export async function bump(c: pg.PoolClient, groupId: string): Promise<void> {
  // Versions must commit in the order they are taken (a reader past version N must never see a smaller one
  // appear later): the list-version lock serialises the transactions that bump, across nodes.
  await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-list'))");
  const v = (await c.query<{ v: string }>("SELECT nextval('list_version_seq') AS v")).rows[0]!.v;
  await c.query('UPDATE groups SET version = $1 WHERE id = $2', [v, groupId]);
  await c.query('UPDATE group_keys SET version = $1 WHERE group_id = $2', [v, groupId]);
}

export type GroupListOps = Pick<Store, 'listGroups' | 'listGroupPage' | 'getGroup' | 'getGroups'>;

export function groupListOps(db: PgDb): GroupListOps {
  const listGroups: Store['listGroups'] = async () =>
    (await db.q<GroupRow>('SELECT * FROM groups ORDER BY updated_at DESC, id')).map(groupOf);

  const listGroupPage: Store['listGroupPage'] = async (q) => {
    if (q.keys === null) {
      return (
        await db.q<GroupRow>('SELECT * FROM groups WHERE version > $1 ORDER BY version LIMIT $2', [q.since, q.limit])
      ).map(pagedGroupOf);
    }
    // One index range per key (at most a page each), one row per group and version: removed when every row of it
    // under the asker's keys is a tombstone (HIST-9, only in a delta), listed with its row otherwise.
    const rows = await db.q<GroupRow & { rid: string; rversion: string; rremoved: boolean }>(
      `WITH k AS (
         SELECT r.group_id, r.version, r.removed FROM unnest($1::text[]) AS u(key)
         CROSS JOIN LATERAL (SELECT group_id, version, removed FROM group_keys
                             WHERE key = u.key AND version > $2 ORDER BY version LIMIT $3) r
       ), page AS (
         SELECT group_id, version, bool_and(removed) AS removed FROM k GROUP BY group_id, version
         HAVING $2 > 0 OR NOT bool_and(removed) ORDER BY version LIMIT $3
       )
       SELECT p.group_id AS rid, p.version AS rversion, p.removed AS rremoved, g.*
       FROM page p LEFT JOIN groups g ON g.id = p.group_id AND NOT p.removed
       WHERE p.removed OR g.id IS NOT NULL
       ORDER BY p.version`,
      [q.keys, q.since, q.limit],
    );
    return rows.map((r): GroupPageRow =>
      r.rremoved ? { id: r.rid, version: Number(r.rversion), removed: true } : pagedGroupOf(r),
    );
  };

  const getGroup: Store['getGroup'] = async (id) => {
    const r = (await db.q<GroupRow>('SELECT * FROM groups WHERE id = $1', [id]))[0];
    return r ? groupOf(r) : null;
  };

  const getGroups: Store['getGroups'] = async (ids) =>
    ids.length === 0
      ? []
      : (await db.q<GroupRow>('SELECT * FROM groups WHERE id = ANY($1)', [[...new Set(ids)]])).map(groupOf);

  return { listGroups, listGroupPage, getGroup, getGroups };
}
