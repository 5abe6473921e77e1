/** Pure rules for the group list index: how rows are made and merged. Tested in Node without IndexedDB. */
import * as Y from 'yjs';
import { decodeAckedVector, entryCount, pendingRecordCount, readMeta } from '@muster/core';
import type { GroupMeta } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';
import type { GroupIndexFields } from './schema.ts';
import { factsOf, statusFromDoc } from '../groupStatus.ts';

/** A fresh row for a group started on this device. */
export function rowForNewGroup(meta: GroupMeta, now: number): GroupIndexFields {
  return {
    id: meta.id,
    title: meta.title,
    kind: meta.kind,
    initiatorName: meta.initiator.name,
    createdAt: meta.deviceTime,
    updatedAt: now,
    entryCount: 0,
    pending: 1,
    ackedStateVector: null,
    ackedAt: null,
    lastOpenedAt: now,
    holders: [meta.initiator.personId],
    // OFFL-1: started here, the device holds all of it
    syncedAt: now,
  };
}

/** A row for a group the server lists (for `personId`) that this device has not seen yet. */
export function rowFromSummary(s: GroupSummary, personId: string | null): GroupIndexFields {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    initiatorName: s.initiatorName,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    entryCount: s.entryCount,
    pending: 0,
    ackedStateVector: null,
    ackedAt: null,
    lastOpenedAt: null,
    holders: personId ? [personId] : [],
    ...(s.status ? { status: factsOf(s.status) } : {}),
  };
}

/**
 * Changes to an existing row from the server's summary, or null when nothing changes. The server's counts win
 * unless this device holds changes the server has not acknowledged (then the larger count is kept).
 */
export function mergeSummary(
  row: GroupIndexFields,
  s: GroupSummary,
  personId: string | null = null,
): Partial<GroupIndexFields> | null {
  const changes: Partial<GroupIndexFields> = {};
  if (personId && !isHeldFor(row, personId)) changes.holders = [...(row.holders ?? []), personId];
  if (s.title && s.title !== row.title) changes.title = s.title;
  if (s.kind !== row.kind) changes.kind = s.kind;
  if (s.initiatorName && s.initiatorName !== row.initiatorName) changes.initiatorName = s.initiatorName;
  if (s.updatedAt > row.updatedAt) changes.updatedAt = s.updatedAt;
  const count = row.pending > 0 ? Math.max(row.entryCount, s.entryCount) : s.entryCount;
  if (count !== row.entryCount) changes.entryCount = count;
  // HIST-1: the server's list facts, unless this device holds changes the server has not acknowledged yet
  if (s.status && row.pending === 0) {
    const facts = factsOf(s.status);
    if (JSON.stringify(facts) !== JSON.stringify(row.status ?? null)) changes.status = facts;
  }
  return Object.keys(changes).length > 0 ? changes : null;
}

/** HIST-7: the mark that full list `sweep` of `personId` named the row, or null when it already carries it. */
export function listedPatch(
  row: Pick<GroupIndexFields, 'listed'>,
  personId: string,
  sweep: number,
): Partial<GroupIndexFields> | null {
  if (row.listed?.[personId] === sweep) return null;
  return { listed: { ...(row.listed ?? {}), [personId]: sweep } };
}

/**
 * HIST-7: after the last page of full list `sweep` of `personId`, a row held for them that the list did not name
 * leaves their list (the person is dropped from its holders), unless it holds unsent work (it still has to reach
 * the relay) or is in `keep` (open on screen). A group stored after the list's page was read (a race with a send
 * from here) comes back with the next delta: its list version is after the cursor. Null: the row stays as it is.
 */
export function unlistedPatch(
  row: GroupIndexFields,
  personId: string,
  sweep: number,
  keep: ReadonlySet<string>,
): Partial<GroupIndexFields> | null {
  if (!isHeldFor(row, personId) || row.listed?.[personId] === sweep) return null;
  if (row.pending > 0 || keep.has(row.id)) return null;
  return { holders: row.holders.filter((h) => h !== personId) };
}

/**
 * HIST-9: a group the server says left `personId`'s list (a removal in a delta) leaves it on the device: the person
 * is dropped from its holders, unless it holds unsent work (it still has to reach the relay) or is in `keep` (open
 * on screen). Null: the row stays as it is.
 */
export function removedPatch(
  row: GroupIndexFields,
  personId: string,
  keep: ReadonlySet<string>,
): Partial<GroupIndexFields> | null {
  if (!isHeldFor(row, personId) || row.pending > 0 || keep.has(row.id)) return null;
  return { holders: row.holders.filter((h) => h !== personId) };
}

/** Index fields derived from a loaded document and the last acknowledged state vector. */
export function fieldsFromDoc(doc: Y.Doc, acked: Uint8Array | null): Partial<GroupIndexFields> {
  const meta = readMeta(doc);
  const out: Partial<GroupIndexFields> = {
    entryCount: entryCount(doc),
    pending: pendingRecordCount(doc, acked ? decodeAckedVector(acked) : new Map()),
  };
  if (meta) {
    out.status = statusFromDoc(doc);
    out.title = meta.title;
    out.kind = meta.kind;
    out.initiatorName = meta.initiator.name;
    out.createdAt = meta.deviceTime;
  }
  return out;
}

/** The union of two encoded state vectors (acks may arrive out of order across reconnects). */
export function mergeStateVectors(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a) return b;
  const merged = decodeAckedVector(a);
  for (const [client, clock] of decodeAckedVector(b)) merged.set(client, Math.max(merged.get(client) ?? 0, clock));
  return Y.encodeStateVector(merged);
}

/** List order: most recently changed first, then most recently opened, then id. */
export function compareRows(a: GroupIndexFields, b: GroupIndexFields): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  const oa = a.lastOpenedAt ?? 0;
  const ob = b.lastOpenedAt ?? 0;
  if (oa !== ob) return ob - oa;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether this device holds the group for `personId` (rows from before holders existed hold for no one). */
export function isHeldFor(row: Pick<GroupIndexFields, 'holders'>, personId: string | null): boolean {
  return personId !== null && Array.isArray(row.holders) && row.holders.includes(personId);
}

/** The list of `personId`: rows held for them that name a group (not ids known alone), in list order. */
export function visibleRows(rows: readonly GroupIndexFields[], personId: string | null): GroupIndexFields[] {
  return rows.filter((r) => isHeldFor(r, personId) && (r.title !== '' || r.entryCount > 0)).sort(compareRows);
}

/**
 * The groups whose unacknowledged changes may be sent now: pending rows held for the logged-in person. Another
 * officer's unsynced work stays on the device until they log in again (the relay would refuse it as impersonation).
 */
export function pendingToSend(rows: readonly GroupIndexFields[], personId: string | null): string[] {
  return rows.filter((r) => r.pending > 0 && isHeldFor(r, personId)).map((r) => r.id);
}

/** Holders for rows written before holders existed (schema upgrade): the person of the saved session, if any. */
export function upgradeHolders(row: Partial<GroupIndexFields>, sessionPersonId: string | null): string[] {
  if (Array.isArray(row.holders)) return row.holders;
  return sessionPersonId ? [sessionPersonId] : [];
}
