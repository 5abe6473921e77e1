/**
 * The PostgreSQL store's group membership (ACL-2): who may open a group (its access row and its registered
 * members), each member newly listed under a key bumping the group in that key's list (HIST-1), and the escalation
 * deadlines of groups (ESC-*).
 */
import type pg from 'pg';
import type { PgDb } from './db.ts';
import { bump } from './groupList.ts';
import { listKeyOf } from '../store.ts';
import type { GroupMember, Store } from '../store.ts';

/**
 * Adds membership rows inside the caller's transaction (an append of their own, or AUDIT-8 the transaction that
 * stores the updates bringing them); resolves to those not registered before.
 */
export async function insertMembers(c: pg.PoolClient, members: readonly GroupMember[]): Promise<GroupMember[]> {
  if (members.length === 0) return [];
  const inserted = await c.query<{ group_id: string; kind: string; ref: string }>(
    `INSERT INTO group_members (group_id, kind, ref, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING
     RETURNING group_id, kind, ref`,
    [members.map((m) => m.groupId), members.map((m) => m.kind), members.map((m) => m.ref), members.map((m) => m.at)],
  );
  const isNew = new Set(inserted.rows.map((r) => `${r.group_id}\u0000${r.kind}\u0000${r.ref}`));
  // HIST-1: a group newly listed under a key comes with the next delta of that key.
  const added = await c.query<{ group_id: string }>(
    `INSERT INTO group_keys (key, group_id, version, removed)
     SELECT DISTINCT k, g, 0::bigint, false FROM unnest($1::text[], $2::text[]) AS u(k, g)
     ON CONFLICT (key, group_id) DO UPDATE SET removed = false WHERE group_keys.removed
     RETURNING group_id`,
    [members.map(listKeyOf), members.map((m) => m.groupId)],
  );
  for (const id of [...new Set(added.rows.map((r) => r.group_id))].sort()) await bump(c, id);
  return members.filter((m) => isNew.has(`${m.groupId}\u0000${m.kind}\u0000${m.ref}`));
}

export type MembershipOps = Pick<
  Store,
  | 'setDeadline'
  | 'listDeadlines'
  | 'setGroupAccess'
  | 'listGroupAccess'
  | 'addGroupMembers'
  | 'removeGroupMembers'
  | 'listGroupMembers'
>;

export function membershipOps(db: PgDb): MembershipOps {
  const setDeadline: Store['setDeadline'] = async (docName, at) => {
    if (at === null) await db.q('DELETE FROM deadlines WHERE doc = $1', [docName]);
    else {
      await db.q('INSERT INTO deadlines (doc, at) VALUES ($1, $2) ON CONFLICT (doc) DO UPDATE SET at = excluded.at', [
        docName,
        at,
      ]);
    }
  };

  const listDeadlines: Store['listDeadlines'] = async () =>
    (await db.q<{ doc: string; at: number }>('SELECT doc, at FROM deadlines ORDER BY at, doc')).map((r) => ({
      docName: r.doc,
      at: r.at,
    }));

  const setGroupAccess: Store['setGroupAccess'] = async (a) => {
    await db.q(
      `INSERT INTO group_access (group_id, initiator_id, unit_id, post_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id) DO UPDATE SET initiator_id = excluded.initiator_id, unit_id = excluded.unit_id,
         post_ids = excluded.post_ids`,
      [a.groupId, a.initiatorId, a.unitId, JSON.stringify(a.postIds)],
    );
  };

  const listGroupAccess: Store['listGroupAccess'] = async () =>
    (
      await db.q<{ group_id: string; initiator_id: string; unit_id: string; post_ids: string }>(
        'SELECT * FROM group_access ORDER BY group_id',
      )
    ).map((r) => ({
      groupId: r.group_id,
      initiatorId: r.initiator_id,
      unitId: r.unit_id,
      postIds: JSON.parse(r.post_ids) as string[],
    }));

  const addGroupMembers: Store['addGroupMembers'] = async (members: readonly GroupMember[]) => {
    if (members.length === 0) return;
    await db.tx(async (c) => {
      await insertMembers(c, members);
    });
  };

  const removeGroupMembers: Store['removeGroupMembers'] = async (members) => {
    if (members.length === 0) return;
    await db.tx(async (c) => {
      const gone = await c.query<{ group_id: string }>(
        `DELETE FROM group_members m USING unnest($1::text[], $2::text[], $3::text[]) AS u(g, kind, ref)
         WHERE m.group_id = u.g AND m.kind = u.kind AND m.ref = u.ref RETURNING m.group_id`,
        [members.map((m) => m.groupId), members.map((m) => m.kind), members.map((m) => m.ref)],
      );
      for (const id of [...new Set(gone.rows.map((r) => r.group_id))].sort()) {
        // HIST-9: a key no remaining membership row maps to is kept as a removal; the group takes the next version.
        const live = new Set(
          (
            await c.query<{ kind: GroupMember['kind']; ref: string }>(
              'SELECT kind, ref FROM group_members WHERE group_id = $1',
              [id],
            )
          ).rows.map(listKeyOf),
        );
        const keys = [...new Set(members.filter((m) => m.groupId === id).map(listKeyOf))].filter((k) => !live.has(k));
        const removed = await c.query(
          'UPDATE group_keys SET removed = true WHERE group_id = $1 AND key = ANY($2) AND NOT removed',
          [id, keys],
        );
        if ((removed.rowCount ?? 0) > 0) await bump(c, id);
      }
    });
  };

  const listGroupMembers: Store['listGroupMembers'] = async (groupId) =>
    (
      await db.q<{ group_id: string; kind: string; ref: string; at: number }>(
        'SELECT * FROM group_members WHERE group_id = $1 ORDER BY at, kind, ref',
        [groupId],
      )
    ).map((r) => ({ groupId: r.group_id, kind: r.kind as GroupMember['kind'], ref: r.ref, at: r.at }));

  return {
    setDeadline,
    listDeadlines,
    setGroupAccess,
    listGroupAccess,
    addGroupMembers,
    removeGroupMembers,
    listGroupMembers,
  };
}
