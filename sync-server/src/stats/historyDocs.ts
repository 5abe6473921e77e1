/**
 * Real group documents for the most recent part of a generated history: made with the same core commands devices
 * and the relay use (one tap, sign-offs, stamps, escalations, closure), written to the store with their group-index
 * row, access row and membership, so their figures drill down to a group that opens and to its review.
 */
import * as Y from 'yjs';
import {
  MINUTE,
  addFinding,
  expandTemplate,
  invitationViews,
  overdueToEscalate,
  recordClosure,
  recordEscalations,
  requestClose,
  seededRandom,
  signOff,
  stampRecords,
  startGroupFromTemplate,
  unstampedRefs,
} from '@muster/core';
import type { Directory, GroupTemplate } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { groupSummaryOf } from '../relay/groupIndex.ts';
import type { Store } from '../store/store.ts';
import { groupAccessOf } from '../workflow/groupAccess.ts';

const HISTORY_ORIGIN = Symbol('history');

export interface HistoryDocsOptions {
  count: number;
  end: number;
  seed: number;
  /** The initiating frontline officer (a demo login), on duty persons sign for the posts. */
  initiatorId: string;
}

/** Writes `count` closed groups over the day before `end`; resolves to their ids. */
export async function writeHistoryDocs(
  store: Store,
  dir: Directory,
  templates: readonly GroupTemplate[],
  o: HistoryDocsOptions,
): Promise<string[]> {
  const random = seededRandom(o.seed ^ 0x5eed);
  const person = dir.person(o.initiatorId);
  if (!person) throw new Error(`no person ${o.initiatorId} in the directory`);
  const initiator = { personId: person.id, name: person.name };
  const usable = templates.filter((t) => expandTemplate(t, dir, person.unitId).ok);
  const ids: string[] = [];
  for (let n = 0; n < o.count; n++) {
    const tpl = usable[n % usable.length]!;
    const exp = expandTemplate(tpl, dir, person.unitId);
    if (!exp.ok) continue;
    const t0 = o.end - 24 * 60 * MINUTE + Math.floor((n / o.count) * 20 * 60 * MINUTE);
    const id = `hdoc-${o.seed}-${n}`;
    const doc = new Y.Doc();
    const stamp = (at: number): void => void stampRecords(doc, unstampedRefs(doc), at, HISTORY_ORIGIN);
    startGroupFromTemplate(doc, {
      group: {
        id,
        kind: tpl.kind,
        title: `${tpl.name} (虚构 fictional #${n})`,
        incident:
          tpl.kind === 'incident'
            ? {
                number: `JQ-H${n}`,
                type: tpl.incidentType,
                address: '演示路 1 号 (fictional)',
                reportedAt: t0 - MINUTE,
              }
            : null,
        unitId: person.unitId,
        initiator,
        deviceTime: t0,
      },
      expansion: exp.expansion,
      invitationIds: exp.expansion.posts.map((_, k) => `${id}-i${k}`),
    });
    stamp(t0);
    addFinding(doc, { id: `${id}-f0`, text: '现场已控制 (fictional)', author: initiator, deviceTime: t0 + MINUTE });
    stamp(t0 + MINUTE);
    // Each post is signed by the person on duty there; every fifth group has one post sign late (and escalated).
    const views = invitationViews(doc, t0);
    const lateIndex = n % 5 === 0 ? views.length - 1 : -1;
    const signs = views
      .map((v, k) => ({
        v,
        at:
          t0 +
          (k === lateIndex
            ? (v.deadlineMinutes + 3 + Math.floor(random() * 20)) * MINUTE
            : Math.floor(random() * Math.min(v.deadlineMinutes - 1, 8) * MINUTE) + 20_000),
      }))
      .sort((a, b) => a.at - b.at);
    for (const { v, at } of signs) {
      const signer = dir.onDutyAt(v.invitation.post.id)[0];
      if (!signer) continue;
      const due = overdueToEscalate(doc, dir, at);
      if (due.length) recordEscalations(doc, due, due[0]!.deadline + 1, HISTORY_ORIGIN);
      signOff(doc, {
        id: `${id}-s-${v.invitation.id}`,
        invitationId: v.invitation.id,
        by: { personId: signer.id, name: signer.name },
        deviceTime: at - 2_000,
      });
      stamp(at);
    }
    const closeAt = t0 + (60 + Math.floor(random() * 180)) * MINUTE;
    const req = requestClose(
      doc,
      { id: `${id}-close`, summary: '已办结 (fictional)', by: initiator, postId: null, deviceTime: closeAt },
      closeAt,
    );
    stamp(closeAt);
    recordClosure(doc, req, closeAt, HISTORY_ORIGIN);
    const summary = groupSummaryOf(doc, id, closeAt);
    await store.appendUpdates([{ docName: groupDocName(id), updates: [Y.encodeStateAsUpdate(doc)], group: summary }]);
    const access = groupAccessOf(doc)!;
    await store.setGroupAccess(access);
    await store.addGroupMembers([
      { groupId: id, kind: 'initiator', ref: access.initiatorId, at: t0 },
      { groupId: id, kind: 'unit', ref: access.unitId, at: t0 },
      ...access.postIds.map((p) => ({ groupId: id, kind: 'post' as const, ref: p, at: t0 })),
    ]);
    doc.destroy();
    ids.push(id);
  }
  return ids;
}
