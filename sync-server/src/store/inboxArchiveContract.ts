/**
 * HIST-8: the inbox archive part of the store contract (storeContract.ts runs it against every store): archiving
 * keeps the rows and replaces the inbox document's state in one step, refuses a document that changed meanwhile,
 * pages newest first by cursor, and tells which items are archived.
 */
import { expect, it } from 'vitest';
import type { InboxItem } from '@muster/core';
import type { ArchivedInboxRow, Store } from './store.ts';
import { InboxArchiveConflict } from './store.ts';

const u = (...b: number[]): Uint8Array => new Uint8Array(b);

function row(personId: string, n: number, at: number): ArchivedInboxRow {
  const item: InboxItem = {
    id: `invitation.g${n}.i${n}`,
    kind: 'invitation',
    groupId: `g${n}`,
    groupTitle: `群 ${n}`,
    refId: `i${n}`,
    text: '值班领导岗',
    at,
    postId: 'p-lead',
  };
  return { personId, item, readAt: n % 2 ? 5 : null, archivedAt: 1000 };
}

/** Registers the archive tests; `store()` is the store under test of the running test. */
export function inboxArchiveContract(store: () => Store, reopen: () => Promise<Store | null>): void {
  it('HIST-8: archives inbox rows and replaces the document state in one step; a changed document writes nothing', async () => {
    const s = store();
    const doc = 'inbox:lead';
    await s.appendUpdates([{ docName: doc, updates: [u(1), u(2), u(3)] }]);
    await expect(
      s.archiveInbox({ docName: doc, rows: [row('lead', 1, 10)], snapshot: u(9), lastSeq: 2 }),
    ).rejects.toBeInstanceOf(InboxArchiveConflict);
    expect(await s.archivedInboxIds('lead', ['invitation.g1.i1'])).toEqual([]);
    expect((await s.loadDoc(doc)).updates).toHaveLength(3);

    await s.archiveInbox({ docName: doc, rows: [row('lead', 1, 10), row('lead', 2, 20)], snapshot: u(9), lastSeq: 3 });
    const loaded = await s.loadDoc(doc);
    expect({ ...loaded, snapshot: [...loaded.snapshot!] }).toEqual({
      snapshot: [9],
      snapshotSeq: 3,
      updates: [],
      lastSeq: 3,
    });
    const r = await s.appendUpdates([{ docName: doc, updates: [u(4)] }]);
    expect(r[0]).toEqual({ docName: doc, lastSeq: 4, sinceSnapshot: 1 });
    expect((await s.loadDoc(doc)).updates.map((x) => [...x])).toEqual([[4]]);
    // a row archived again stays as it was
    await s.archiveInbox({
      docName: doc,
      rows: [{ ...row('lead', 1, 10), archivedAt: 5000 }],
      snapshot: u(8),
      lastSeq: 4,
    });
    expect((await s.listInboxArchive({ personId: 'lead', limit: 10 })).map((x) => x.archivedAt)).toEqual([1000, 1000]);
    const again = await reopen();
    if (again) {
      expect(await again.archivedInboxIds('lead', ['invitation.g2.i2'])).toEqual(['invitation.g2.i2']);
      expect([...(await again.loadDoc(doc)).snapshot!]).toEqual([8]);
    }
  });

  it('HIST-8: pages a person archive newest first by cursor, ties by item id, and names archived ids', async () => {
    const s = store();
    const rows = [row('lead', 1, 10), row('lead', 2, 30), row('lead', 3, 20), row('lead', 4, 20), row('other', 5, 99)];
    await s.archiveInbox({ docName: 'inbox:lead', rows, snapshot: u(1), lastSeq: 0 });
    const first = await s.listInboxArchive({ personId: 'lead', limit: 2 });
    expect(first.map((x) => x.item.id)).toEqual(['invitation.g2.i2', 'invitation.g4.i4']);
    expect(first[0]).toEqual(rows[1]);
    const last = first[first.length - 1]!;
    const next = await s.listInboxArchive({
      personId: 'lead',
      before: { at: last.item.at, itemId: last.item.id },
      limit: 2,
    });
    expect(next.map((x) => x.item.id)).toEqual(['invitation.g3.i3', 'invitation.g1.i1']);
    expect(next[1]).toEqual(rows[0]);
    expect(
      await s.listInboxArchive({ personId: 'lead', before: { at: 10, itemId: 'invitation.g1.i1' }, limit: 2 }),
    ).toEqual([]);
    expect((await s.archivedInboxIds('lead', ['invitation.g1.i1', 'invitation.g5.i5', 'nope'])).sort()).toEqual([
      'invitation.g1.i1',
    ]);
    expect(await s.archivedInboxIds('other', ['invitation.g5.i5'])).toEqual(['invitation.g5.i5']);
    expect(await s.archivedInboxIds('lead', [])).toEqual([]);
  });

  it('HIST-8: reads the list rows of several groups at once', async () => {
    const s = store();
    const g = (id: string) => ({
      id,
      title: id,
      kind: 'incident' as const,
      initiatorName: 'x',
      createdAt: 1,
      updatedAt: 2,
      entryCount: 0,
      status: { closedAt: 7, invited: 1, signed: 1, closureDeadline: null, open: [] },
    });
    await s.appendUpdates([
      { docName: 'group:a', updates: [u(1)], group: g('a') },
      { docName: 'group:b', updates: [u(1)], group: g('b') },
    ]);
    const got = await s.getGroups(['b', 'nope', 'a', 'b']);
    expect(got.map((x) => x.id).sort()).toEqual(['a', 'b']);
    expect(got.find((x) => x.id === 'a')?.status?.closedAt).toBe(7);
    expect(await s.getGroups([])).toEqual([]);
  });
}
