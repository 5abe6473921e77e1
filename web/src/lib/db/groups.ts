/** Writes to the group list index. Every write is a small patch so concurrent writers do not clobber rows. */
import * as Y from 'yjs';
import { startGroup, startGroupFromTemplate } from '@muster/core';
import type { GroupMeta, StartFromTemplateInput, StartGroupInput } from '@muster/core';
import type { Ack, GroupSummary } from '@muster/protocol';
import { db } from './db.ts';
import {
  isHeldFor,
  listedPatch,
  mergeStateVectors,
  mergeSummary,
  rowForNewGroup,
  rowFromSummary,
  removedPatch,
  unlistedPatch,
} from './groupIndex.ts';
import type { CacheRow, GroupIndexFields, GroupRow } from './schema.ts';

/** GRP-1 on the device: the group's document and its index row are written in one transaction, offline too. */
export async function createGroup(input: StartGroupInput, now: number): Promise<GroupMeta> {
  const doc = new Y.Doc();
  const meta = startGroup(doc, input);
  const row = { ...rowForNewGroup(meta, now), doc } as unknown as GroupRow;
  await db.groups.add(row);
  doc.destroy();
  return meta;
}

/** TPL-4 on the device: the group, every invitation of the template and the index row, in one step, offline too. */
export async function createGroupFromTemplate(input: StartFromTemplateInput, now: number): Promise<GroupMeta> {
  const doc = new Y.Doc();
  const { meta, invitations } = startGroupFromTemplate(doc, input);
  const row = { ...rowForNewGroup(meta, now), pending: 1 + invitations.length, doc } as unknown as GroupRow;
  await db.groups.add(row);
  doc.destroy();
  return meta;
}

/**
 * Makes sure a row exists before the group's document is loaded (y-dexie needs the parent row). A new row is held
 * for `personId` (the person opening it); an existing row is left as it is.
 */
export async function ensureRow(id: string, now: number, personId: string | null = null): Promise<void> {
  await db.transaction('rw', db.groups, async () => {
    if (await db.groups.get(id)) return;
    await db.groups.add({
      id,
      title: '',
      kind: 'incident',
      initiatorName: '',
      createdAt: now,
      updatedAt: 0,
      entryCount: 0,
      pending: 0,
      ackedStateVector: null,
      ackedAt: null,
      lastOpenedAt: null,
      holders: personId ? [personId] : [],
    } as GroupIndexFields as GroupRow);
  });
}

export async function patchRow(id: string, changes: Partial<GroupIndexFields>): Promise<void> {
  await db.groups.update(id, changes);
}

/** OFFL-1: the device completed a sync of the group at server time `at` (never moves back). */
export async function markSynced(id: string, at: number): Promise<void> {
  await db.transaction('rw', db.groups, async () => {
    const row = await db.groups.get(id);
    if (!row) return;
    const syncedAt = Math.max(row.syncedAt ?? 0, at, row.updatedAt);
    if (syncedAt !== row.syncedAt || row.removedAt != null) await db.groups.update(id, { syncedAt, removedAt: null });
  });
}

/**
 * KEEP-1: the group's content leaves the device: its document updates and photos are deleted; the index row stays
 * (the server's header), marked removed and no longer synced. Refused when changes wait to be sent meanwhile.
 */
export async function removeContent(id: string, at: number): Promise<boolean> {
  const updates = db.table('$groups.doc_updates');
  return db.transaction('rw', [db.groups, db.photos, updates], async () => {
    const row = await db.groups.get(id);
    if (!row || row.pending > 0) return false;
    await updates.where('k').equals(id).delete();
    await db.photos.where('[groupId+hash]').between([id, ''], [id, '\uffff']).delete();
    await db.groups.update(id, { syncedAt: null, removedAt: at, entryCount: row.entryCount });
    return true;
  });
}

/** Records a durable acknowledgement: the acked state vector only grows. */
export async function recordAck(id: string, ack: Ack): Promise<Uint8Array> {
  return db.transaction('rw', db.groups, async () => {
    const row = await db.groups.get(id);
    const merged = mergeStateVectors(row?.ackedStateVector ?? null, ack.stateVector);
    const ackedAt = Math.max(row?.ackedAt ?? 0, ack.serverTime);
    await db.groups.update(id, { ackedStateVector: merged, ackedAt });
    return merged;
  });
}

/** HIST-1: the cursor of the last group-list page merged for a person, or null (from the start). */
export async function groupsCursor(personId: string): Promise<string | null> {
  return (await db.cache.get(`groups-cursor:${personId}`))?.cursor ?? null;
}

/** HIST-7: how a page of the server's list relates to the whole list. */
export interface ListPageInfo {
  /** The page starts the whole list (no cursor held yet, or the server's `reset` after a change of duty). */
  full?: boolean;
  /** No page follows (`more` is false): a full list being read is complete. */
  last?: boolean;
  /** Server time of the page: a full list's sweep id. */
  serverTime?: number;
  /** Groups that never leave the list now (the one open on screen). */
  keep?: ReadonlySet<string>;
  /** HIST-9: groups the server says left the person's list since the cursor. */
  removed?: readonly string[];
}

/**
 * Merges the server's group list (of `personId`) into the index: new groups from others appear, known rows are
 * refreshed, and every listed group is held for `personId`. HIST-7: when the pages of a full list are complete,
 * rows held for `personId` that it did not name leave their list (never rows with unsent work, nor `keep`).
 */
export async function mergeServerGroups(
  summaries: readonly GroupSummary[],
  personId: string | null,
  cursor: string | null = null,
  page: ListPageInfo = {},
): Promise<number> {
  let changed = 0;
  await db.transaction('rw', db.groups, db.cache, async () => {
    const key = `groups-cursor:${personId}` as const;
    const held = personId ? await db.cache.get(key) : undefined;
    // HIST-7: a full list may span several refreshes; its sweep id is kept with the cursor until its last page.
    const sweep = personId ? (page.full ? (page.serverTime ?? Date.now()) : held?.sweep) : undefined;
    // HIST-1: the page and the cursor after it are kept together (a page is never merged twice nor skipped).
    if (personId && (cursor || sweep !== undefined)) {
      const next: CacheRow = { key, cursor: cursor ?? held?.cursor, fetchedAt: Date.now() };
      if (sweep !== undefined && !page.last) next.sweep = sweep;
      await db.cache.put(next);
    }
    const existing = new Map(
      (await db.groups.bulkGet(summaries.map((s) => s.id))).map((r, i) => [summaries[i]!.id, r]),
    );
    for (const s of summaries) {
      const row = existing.get(s.id);
      const mark = personId && sweep !== undefined ? { listed: { [personId]: sweep } } : {};
      if (!row) {
        await db.groups.add({ ...rowFromSummary(s, personId), ...mark } as GroupRow);
        changed++;
        continue;
      }
      const patch = mergeSummary(row, s, personId);
      const listed = personId && sweep !== undefined ? listedPatch(row, personId, sweep) : null;
      if (patch || listed) await db.groups.update(s.id, { ...patch, ...listed });
      if (patch) changed++;
    }
    // HIST-9: groups that left the person's list (membership removed) leave it here too.
    if (personId && page.removed?.length) {
      const keep = page.keep ?? new Set<string>();
      for (const row of await db.groups.bulkGet([...page.removed])) {
        const patch = row ? removedPatch(row, personId, keep) : null;
        if (!row || !patch) continue;
        await db.groups.update(row.id, patch);
        changed++;
      }
    }
    if (personId && sweep !== undefined && page.last) {
      const keep = page.keep ?? new Set<string>();
      const rows = await db.groups.filter((r) => isHeldFor(r, personId)).toArray();
      for (const row of rows) {
        const patch = unlistedPatch(row, personId, sweep, keep);
        if (!patch) continue;
        await db.groups.update(row.id, patch);
        changed++;
      }
    }
  });
  return changed;
}
