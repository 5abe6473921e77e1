/** The group-list row of a group document, derived with core views (refreshed whenever it is persisted). */
import type * as Y from 'yjs';
import { entryCount, listStatusOf, readMeta } from '@muster/core';
import type { GroupSummary } from '@muster/protocol';

export function groupSummaryOf(doc: Y.Doc, groupId: string, updatedAt: number): GroupSummary | null {
  const meta = readMeta(doc);
  if (!meta || meta.id !== groupId) return null;
  return {
    id: meta.id,
    title: meta.title,
    kind: meta.kind,
    initiatorName: meta.initiator.name,
    createdAt: meta.deviceTime,
    updatedAt,
    entryCount: entryCount(doc),
    status: listStatusOf(doc),
  };
}
