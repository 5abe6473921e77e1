import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addFinding, startGroup } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';
import {
  compareRows,
  fieldsFromDoc,
  mergeStateVectors,
  mergeSummary,
  rowForNewGroup,
  rowFromSummary,
} from './groupIndex.ts';

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
    expect(rowFromSummary(summary)).toMatchObject({ pending: 0, entryCount: 3, lastOpenedAt: null });
  });

  it('merging the server summary takes its counts unless changes are pending here', () => {
    const row = { ...rowFromSummary(summary), entryCount: 5, updatedAt: 4000 };
    expect(mergeSummary(row, summary)).toEqual({ entryCount: 3, updatedAt: 5000 });
    expect(mergeSummary({ ...row, pending: 2 }, summary)).toEqual({ updatedAt: 5000 });
    expect(mergeSummary(rowFromSummary(summary), summary)).toBeNull();
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
    const base = rowFromSummary(summary);
    const rows = [
      { ...base, id: 'b', updatedAt: 10 },
      { ...base, id: 'a', updatedAt: 10 },
      { ...base, id: 'c', updatedAt: 20 },
      { ...base, id: 'd', updatedAt: 10, lastOpenedAt: 5 },
    ];
    expect(rows.sort(compareRows).map((r) => r.id)).toEqual(['c', 'd', 'a', 'b']);
  });
});
