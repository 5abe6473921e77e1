import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { groupAddressees } from './addressees.ts';
import { DEFAULT_APPROVAL_TYPES, requestApproval } from './approvals.ts';
import { addChanges, changedRecords, touchesAny, UNKNOWN_ROOT } from './changes.ts';
import type { ChangedKeys } from './changes.ts';
import { pushClue } from './clues.ts';
import { actorOf, demoGroup, stampAll, T0 } from './demoFixture.ts';
import { inboxDeliveries } from './inbox.ts';
import { giveInstruction } from './instructions.ts';
import { invitePost } from './invitations.ts';
import { Root } from './schema.ts';
import { MINUTE } from './sla.ts';
import { factsMayChange, statsFacts } from './statsFacts.ts';
import { addFinding } from './timeline.ts';

/** Records what every transaction of `doc` changes from now on. */
function track(doc: Y.Doc): ChangedKeys {
  const changes: ChangedKeys = new Map();
  doc.on('afterTransaction', (tr: Y.Transaction) => addChanges(changes, doc, tr));
  return changes;
}

describe('what an update changed (PERF-1)', () => {
  it('PERF-1: keys per root, stamps folded into their records, nested and unnamed roots counted', () => {
    const { doc, dir } = demoGroup();
    const changes = track(doc);
    addFinding(doc, { id: 'f1', text: 'x', author: actorOf(dir, 'demo005'), deviceTime: T0 });
    stampAll(doc, T0 + MINUTE);
    doc.transact(() => doc.getMap(Root.entries).set('n1', new Y.Map([['a', 1]])));
    doc.transact(() => (doc.getMap(Root.entries).get('n1') as Y.Map<number>).set('a', 2));
    expect([...changes.get(Root.entries)!].sort()).toEqual(['f1', 'n1']);
    expect([...changes.get(Root.stamps)!]).toEqual(['entries/f1']);
    const records = changedRecords(changes);
    expect([...records.keys()].sort()).toEqual([Root.entries]);
    expect(touchesAny(records, [Root.invitations])).toBe(false);
    expect(touchesAny(new Map([[UNKNOWN_ROOT, new Set()]]), [Root.invitations])).toBe(true);
  });

  it('PERF-1: deliveries and addressees of the changed entries, added to the earlier ones, equal a whole derivation', () => {
    const { doc, dir } = demoGroup();
    const key = (d: { personId: string; item: { id: string } }): string => `${d.personId}/${d.item.id}`;
    const before = new Set(inboxDeliveries(doc, dir).map(key));
    const addressedBefore = groupAddressees(doc, dir);
    const changes = track(doc);
    pushClue(doc, {
      id: 'c1',
      text: '向东',
      targetUnitIds: ['ks-e1'],
      author: actorOf(dir, 'demo005'),
      deviceTime: T0,
    });
    giveInstruction(doc, {
      id: 'i1',
      text: '追查',
      to: [
        { kind: 'person', id: 'demo016', name: 'n' },
        { kind: 'post', id: 'p-e-mgmt', name: 'm' },
      ],
      author: actorOf(dir, 'demo007'),
      deviceTime: T0,
    });
    requestApproval(doc, {
      id: 'a1',
      type: DEFAULT_APPROVAL_TYPES[0]!,
      values: { location: 'x', from: '2026-01-01', to: '2026-01-01', reason: 'y' },
      author: actorOf(dir, 'demo005'),
      deviceTime: T0,
    });
    stampAll(doc, T0 + MINUTE);
    const records = changedRecords(changes);
    expect(touchesAny(records, [Root.meta, Root.invitations, Root.supervisions, Root.events])).toBe(false);
    const entries = records.get(Root.entries)!;
    const scoped = inboxDeliveries(doc, dir, undefined, { entries }).map(key);
    expect(scoped.length).toBeGreaterThan(0);
    expect(new Set([...before, ...scoped])).toEqual(new Set(inboxDeliveries(doc, dir).map(key)));
    const added = groupAddressees(doc, dir, { entries, lookupPushes: [] });
    const whole = groupAddressees(doc, dir);
    expect(new Set([...addressedBefore.persons, ...added.persons])).toEqual(new Set(whole.persons));
    expect(new Set([...addressedBefore.posts, ...added.posts])).toEqual(new Set(whole.posts));
  });

  it('PERF-1: statistics facts are derived again only when a change can alter them', () => {
    const { doc, dir } = demoGroup();
    const facts = statsFacts(doc)!;
    const participant = facts.participants[0]!;
    let changes = track(doc);
    addFinding(doc, { id: 'f1', text: 'x', author: actorOf(dir, participant), deviceTime: T0 });
    stampAll(doc, T0 + MINUTE);
    expect(factsMayChange(doc, facts, changedRecords(changes))).toBe(false);
    expect(statsFacts(doc)).toEqual(facts);

    const newcomer = dir.data.persons.find((p) => !facts.participants.includes(p.id))!.id;
    changes = track(doc);
    addFinding(doc, { id: 'f2', text: 'y', author: actorOf(dir, newcomer), deviceTime: T0 });
    expect(factsMayChange(doc, facts, changedRecords(changes))).toBe(true);

    const now = statsFacts(doc)!;
    changes = track(doc);
    const post = { id: 'p-test', name: 'Test post', unitId: 'st-e1', unitName: 'Unit', kind: 'management' as const };
    invitePost(doc, { id: 'inv-x', post, invitedBy: actorOf(dir, participant), deviceTime: T0 });
    expect(factsMayChange(doc, now, changedRecords(changes))).toBe(true);
  });
});
