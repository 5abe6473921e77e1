import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addFinding, startGroup } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';
import {
  compareRows,
  fieldsFromDoc,
  isHeldFor,
  listedPatch,
  mergeStateVectors,
  mergeSummary,
  pendingToSend,
  rowForNewGroup,
  rowFromSummary,
  removedPatch,
  unlistedPatch,
  upgradeHolders,
  visibleRows,
} from './groupIndex.ts';
import type { GroupIndexFields } from './schema.ts';

const actor = { personId: 'p1', name: '张三' };

function started(): Y.Doc {
  const doc = new Y.Doc();
  startGroup(doc, {
    id: 'g-000001',
    kind: 'incident',
    title: '手机被抢',
    unitId: 'u1',
    initiator: actor,
    deviceTime: 1000,
  });
  return doc;
}

const summary: GroupSummary = {
  id: 'g-000001',
  title: '手机被抢',
  kind: 'incident',
  initiatorName: '张三',
  createdAt: 1000,
  updatedAt: 5000,
  entryCount: 3,
};

describe('group list index', () => {
  it('a new group starts with one pending record and no ack', () => {
    const row = rowForNewGroup({ ...summary, incident: null, unitId: 'u1', initiator: actor, deviceTime: 1000 }, 2000);
    expect(row).toMatchObject({ id: 'g-000001', pending: 1, ackedAt: null, ackedStateVector: null, updatedAt: 2000 });
  });

  it('a group from the server list needs nothing sent', () => {
    expect(rowFromSummary(summary, 'p1')).toMatchObject({ pending: 0, entryCount: 3, lastOpenedAt: null });
  });

  it('merging the server summary takes its counts unless changes are pending here', () => {
    const row = { ...rowFromSummary(summary, 'p1'), entryCount: 5, updatedAt: 4000 };
    expect(mergeSummary(row, summary, 'p1')).toEqual({ entryCount: 3, updatedAt: 5000 });
    expect(mergeSummary({ ...row, pending: 2 }, summary, 'p1')).toEqual({ updatedAt: 5000 });
    expect(mergeSummary(rowFromSummary(summary, 'p1'), summary, 'p1')).toBeNull();
  });

  it('HIST-1: takes the list facts of the server row unless this device holds unacknowledged changes', () => {
    const status = {
      closedAt: null,
      invited: 2,
      signed: 1,
      closureDeadline: 9000,
      open: [{ invitationId: 'i2', postId: 'p-x', deadline: 7000 }],
    };
    const s: GroupSummary = {
      id: 'g-1',
      title: 'T',
      kind: 'incident',
      initiatorName: 'A',
      createdAt: 1,
      updatedAt: 2,
      entryCount: 0,
      status,
    };
    const facts = {
      closedAt: null,
      invited: 2,
      signed: 1,
      openDeadlines: [7000],
      closureDeadline: 9000,
      open: status.open,
      initiatorId: null,
      heldAt: null,
    };
    const row = rowFromSummary(s, 'p1');
    expect(row.status).toEqual(facts);
    const closed = { ...s, status: { ...status, closedAt: 8000, open: [] } };
    expect(mergeSummary(row, closed, 'p1')?.status).toMatchObject({ closedAt: 8000, openDeadlines: [], open: [] });
    expect(mergeSummary({ ...row, pending: 1 }, closed, 'p1')).toBeNull();
    expect(mergeSummary(row, s, 'p1')).toBeNull();
  });

  it('derives title, counts and pending records from the document and the acked vector', () => {
    const doc = started();
    addFinding(doc, { id: 'e1', text: '嫌疑人向北逃跑', author: actor, deviceTime: 1100 });
    expect(fieldsFromDoc(doc, null)).toMatchObject({ title: '手机被抢', entryCount: 1, pending: 2 });
    const acked = Y.encodeStateVector(doc);
    expect(fieldsFromDoc(doc, acked).pending).toBe(0);
    addFinding(doc, { id: 'e2', text: '穿黑色外套', author: actor, deviceTime: 1200 });
    expect(fieldsFromDoc(doc, acked)).toMatchObject({ entryCount: 2, pending: 1 });
  });

  it('acknowledged state vectors only grow', () => {
    const a = Y.encodeStateVector(
      new Map([
        [1, 5],
        [2, 3],
      ]),
    );
    const b = Y.encodeStateVector(
      new Map([
        [1, 4],
        [3, 7],
      ]),
    );
    expect(Y.decodeStateVector(mergeStateVectors(a, b))).toEqual(
      new Map([
        [1, 5],
        [2, 3],
        [3, 7],
      ]),
    );
    expect(mergeStateVectors(null, b)).toBe(b);
  });

  it('orders the list by last change, then last opened, then id', () => {
    const base = rowFromSummary(summary, 'p1');
    const rows = [
      { ...base, id: 'b', updatedAt: 10 },
      { ...base, id: 'a', updatedAt: 10 },
      { ...base, id: 'c', updatedAt: 20 },
      { ...base, id: 'd', updatedAt: 10, lastOpenedAt: 5 },
    ];
    expect(rows.sort(compareRows).map((r) => r.id)).toEqual(['c', 'd', 'a', 'b']);
  });

  describe('shared tablet: rows are held for persons', () => {
    const newRow = rowForNewGroup(
      { ...summary, incident: null, unitId: 'u1', initiator: actor, deviceTime: 1000 },
      2000,
    );

    it('a group started here is held for its creator; one from the server list for the person it was listed for', () => {
      expect(newRow.holders).toEqual(['p1']);
      expect(rowFromSummary(summary, 'p2').holders).toEqual(['p2']);
      expect(rowFromSummary(summary, null).holders).toEqual([]);
    });

    it('the server listing a held group for another person adds them as a holder, once', () => {
      expect(mergeSummary(newRow, summary, 'p2')).toMatchObject({ holders: ['p1', 'p2'] });
      expect(mergeSummary({ ...newRow, holders: ['p1', 'p2'] }, summary, 'p2')?.holders).toBeUndefined();
      expect(mergeSummary(newRow, summary, null)?.holders).toBeUndefined();
    });

    it('the list shows only rows held for the logged-in person, and no one when logged out', () => {
      const rows = [
        { ...newRow, id: 'mine' },
        { ...newRow, id: 'theirs', holders: ['p2'] },
        { ...newRow, id: 'both', holders: ['p2', 'p1'] },
        { ...newRow, id: 'legacy', holders: undefined as unknown as string[] },
        { ...newRow, id: 'unstarted', title: '', entryCount: 0 },
      ];
      expect(
        visibleRows(rows, 'p1')
          .map((r) => r.id)
          .sort(),
      ).toEqual(['both', 'mine']);
      expect(
        visibleRows(rows, 'p2')
          .map((r) => r.id)
          .sort(),
      ).toEqual(['both', 'theirs']);
      expect(visibleRows(rows, null)).toEqual([]);
      expect(isHeldFor({ holders: ['p1'] }, null)).toBe(false);
    });

    it("pending changes are sent only for groups held for the logged-in person; another's wait", () => {
      const rows = [
        { ...newRow, id: 'a-pending', pending: 2 },
        { ...newRow, id: 'a-saved', pending: 0 },
        { ...newRow, id: 'b-pending', pending: 1, holders: ['p2'] },
      ];
      expect(pendingToSend(rows, 'p1')).toEqual(['a-pending']);
      expect(pendingToSend(rows, 'p2')).toEqual(['b-pending']);
      expect(pendingToSend(rows, null)).toEqual([]);
    });

    it('the schema upgrade gives existing rows to the saved session person, or to no one', () => {
      expect(upgradeHolders({ id: 'g' }, 'p1')).toEqual(['p1']);
      expect(upgradeHolders({ id: 'g' }, null)).toEqual([]);
      expect(upgradeHolders({ id: 'g', holders: ['p2'] }, 'p1')).toEqual(['p2']);
    });
  });
});

describe('HIST-7 full list sweep', () => {
  const held = (over: Partial<GroupIndexFields> = {}): GroupIndexFields => ({
    ...rowFromSummary(summary, 'p1'),
    ...over,
  });

  it('HIST-7: marks a row as named by the full list once per sweep', () => {
    expect(listedPatch(held(), 'p1', 7)).toEqual({ listed: { p1: 7 } });
    expect(listedPatch(held({ listed: { p2: 3 } }), 'p1', 7)).toEqual({ listed: { p2: 3, p1: 7 } });
    expect(listedPatch(held({ listed: { p1: 7 } }), 'p1', 7)).toBeNull();
  });

  it('HIST-7: a row the finished full list did not name leaves the person’s list, other holders keep it', () => {
    const row = held({ holders: ['p1', 'p2'], listed: { p1: 6 } });
    const patch = unlistedPatch(row, 'p1', 7, new Set());
    expect(patch).toEqual({ holders: ['p2'] });
    expect(visibleRows([{ ...row, ...patch }], 'p1')).toEqual([]);
    expect(visibleRows([{ ...row, ...patch }], 'p2')).toHaveLength(1);
    expect(unlistedPatch(held(), 'p1', 7, new Set())).toEqual({ holders: [] });
  });

  it('HIST-7: a row the full list named stays', () => {
    expect(unlistedPatch(held({ listed: { p1: 7 } }), 'p1', 7, new Set())).toBeNull();
  });

  it('HIST-7: never drops a row with unsent work or the group open on screen', () => {
    expect(unlistedPatch(held({ pending: 2 }), 'p1', 7, new Set())).toBeNull();
    expect(unlistedPatch(held(), 'p1', 7, new Set([summary.id]))).toBeNull();
  });

  it('HIST-7: rows not held for the person are not touched', () => {
    expect(unlistedPatch(held({ holders: ['p2'] }), 'p1', 7, new Set())).toBeNull();
  });
});

describe('HIST-9 removals in a delta', () => {
  const held = (over: Partial<GroupIndexFields> = {}): GroupIndexFields => ({
    ...rowFromSummary(summary, 'p1'),
    ...over,
  });

  it('HIST-9: a group that left the person’s list leaves it on the device, other holders keep it', () => {
    const row = held({ holders: ['p1', 'p2'] });
    const patch = removedPatch(row, 'p1', new Set());
    expect(patch).toEqual({ holders: ['p2'] });
    expect(visibleRows([{ ...row, ...patch }], 'p1')).toEqual([]);
    expect(visibleRows([{ ...row, ...patch }], 'p2')).toHaveLength(1);
  });

  it('HIST-9: never drops a row with unsent work, the group open on screen, or a row not held for the person', () => {
    expect(removedPatch(held({ pending: 1 }), 'p1', new Set())).toBeNull();
    expect(removedPatch(held(), 'p1', new Set([summary.id]))).toBeNull();
    expect(removedPatch(held({ holders: ['p2'] }), 'p1', new Set())).toBeNull();
  });
});
