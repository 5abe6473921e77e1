/**
 * HIST bench: a generated history of group-list rows at the report's rate (800 groups a simulated day, 90% closed),
 * written through the store's own API as the relay writes them (a group row with its list status, its membership
 * rows, its access row), in batches of 1,000 groups per transaction. Documents are an empty update: the list never
 * opens them. Fictional: titles and people from the demo city.
 */
import { MINUTE, seededRandom } from '@muster/core';
import type { Directory } from '@muster/core';
import type { GroupListStatus, GroupSummary } from '@muster/protocol';
import type { GroupMember, Store } from '../../../sync-server/src/store/store.ts';

const PER_DAY = 800;
const DAY = 24 * 60 * MINUTE;
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Appends groups `from` .. `to - 1` of the history (ids `hist-<n>`), starting at `t0`. */
export async function generateHistory(
  store: Store,
  dir: Directory,
  from: number,
  to: number,
  t0: number,
): Promise<void> {
  const random = seededRandom(from + 1);
  const units = dir.data.units.filter((u) => u.kind === 'station' || u.kind === 'brigade');
  const posts = dir.data.posts.filter((p) => p.kind !== 'leader');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  for (let start = from; start < to; start += 1000) {
    const batch: { docName: string; updates: Uint8Array[]; group: GroupSummary }[] = [];
    const members: GroupMember[] = [];
    const access: Promise<void>[] = [];
    for (let n = start; n < Math.min(to, start + 1000); n++) {
      const id = `hist-${String(n).padStart(7, '0')}`;
      const at = t0 + Math.floor((n * DAY) / PER_DAY);
      const unit = pick(units);
      const people = dir.data.persons.filter((p) => p.unitId === unit.id);
      const initiator = people.length > 0 ? pick(people) : pick(dir.data.persons);
      const invited = [...new Set(Array.from({ length: 3 + Math.floor(random() * 4) }, () => pick(posts).id))];
      const closed = random() < 0.9;
      const open = closed ? [] : invited.filter(() => random() < 0.5);
      const status: GroupListStatus = {
        initiatorId: initiator.id,
        closedAt: closed ? at + 120 * MINUTE : null,
        invited: invited.length,
        signed: invited.length - open.length,
        closureDeadline: at + 24 * 60 * MINUTE,
        open: open.map((postId, i) => ({ invitationId: `${id}-inv-${i}`, postId, deadline: at + 30 * MINUTE })),
      };
      batch.push({
        docName: `group:${id}`,
        updates: [EMPTY_UPDATE],
        group: {
          id,
          title: `历史协同 ${n + 1} (fictional)`,
          kind: n % 5 === 0 ? 'task' : 'incident',
          initiatorName: initiator.name,
          createdAt: at,
          updatedAt: closed ? at + 120 * MINUTE : at + 30 * MINUTE,
          entryCount: 5 + Math.floor(random() * 6),
          status,
        },
      });
      members.push(
        { groupId: id, kind: 'initiator', ref: initiator.id, at },
        { groupId: id, kind: 'unit', ref: unit.id, at },
        ...invited.map((ref) => ({ groupId: id, kind: 'post' as const, ref, at })),
      );
      access.push(
        store.setGroupAccess({ groupId: id, initiatorId: initiator.id, unitId: unit.id, postIds: invited.sort() }),
      );
    }
    await store.appendUpdates(batch);
    await store.addGroupMembers(members);
    await Promise.all(access);
  }
}
