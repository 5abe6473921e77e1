import { describe, expect, it } from 'vitest';
import { actorOf, demoGroup, stampAll, T0 } from './demoFixture.ts';
import { CommandError } from './errors.ts';
import { currentHold, holdHistory, recordHolds, requestHold } from './hold.ts';
import { listStatusOf } from './listStatus.ts';
import { mayWriteRecord } from './policy.ts';
import { groupFactsOf } from './policy/facts.ts';
import { Root } from './schema.ts';
import { MINUTE } from './sla.ts';

const SERVER = 'server';

describe('KEEP-2: a leader places or lifts a legal hold', () => {
  it('KEEP-2: the relay records each request with its time; the latest decides; the list status carries it', () => {
    const { doc, dir } = demoGroup();
    const leader = actorOf(dir, 'demo007');
    const base = { by: leader, postId: 'p-e-leader', deviceTime: T0 };
    requestHold(doc, { ...base, id: 'h1', on: true, reason: '涉诉，需保全证据' });
    expect(currentHold(doc)).toBeNull(); // the device's request is not a hold until the relay records it
    stampAll(doc, T0 + MINUTE);
    const placed = recordHolds(doc, dir, T0 + MINUTE, SERVER);
    expect(placed).toEqual([
      { requestId: 'h1', on: true, reason: '涉诉，需保全证据', by: leader, postId: 'p-e-leader', at: T0 + MINUTE },
    ]);
    expect(recordHolds(doc, dir, T0 + 2 * MINUTE, SERVER)).toEqual([]); // recorded once
    expect(currentHold(doc)?.requestId).toBe('h1');
    expect(listStatusOf(doc).heldAt).toBe(T0 + MINUTE);

    requestHold(doc, { ...base, id: 'h2', on: false, reason: '诉讼结束' });
    stampAll(doc, T0 + 5 * MINUTE);
    recordHolds(doc, dir, T0 + 5 * MINUTE, SERVER);
    expect(currentHold(doc)).toBeNull();
    expect(holdHistory(doc).map((h) => [h.requestId, h.on])).toEqual([
      ['h1', true],
      ['h2', false],
    ]);
    expect(listStatusOf(doc).heldAt).toBeNull();
    // a reason is required
    expect(() => requestHold(doc, { ...base, id: 'h3', on: true, reason: '  ' })).toThrow(CommandError);
  });

  it('POL-21: only a leader on duty at a leader post of the group places a hold; others are refused and not recorded', () => {
    const { doc, dir } = demoGroup();
    const ctx = (personId: string) => {
      const p = dir.person(personId)!;
      return {
        dir,
        subject: { personId, unitId: p.unitId, roles: p.roles },
        group: groupFactsOf(doc),
        doc,
        starting: false,
      };
    };
    const rec = (personId: string, postId: string) => ({
      id: 'h9',
      on: true,
      reason: '保全',
      by: actorOf(dir, personId),
      postId,
      deviceTime: T0,
    });
    expect(mayWriteRecord(ctx('demo007'), Root.holdRequests, 'h9', rec('demo007', 'p-e-leader')).ok).toBe(true);
    // the management desk runs the group but is no leader; the initiator neither
    expect(mayWriteRecord(ctx('demo005'), Root.holdRequests, 'h9', rec('demo005', 'p-e-mgmt'))).toMatchObject({
      ok: false,
      code: 'may-not-hold',
    });
    expect(mayWriteRecord(ctx('demo015'), Root.holdRequests, 'h9', rec('demo015', 'p-st-e1'))).toMatchObject({
      ok: false,
      code: 'may-not-hold',
    });
    // a request that reached the document anyway (a replica's own copy) is not recorded by the relay
    requestHold(doc, {
      id: 'h1',
      on: true,
      reason: 'x',
      by: actorOf(dir, 'demo005'),
      postId: 'p-e-mgmt',
      deviceTime: T0,
    });
    stampAll(doc, T0 + MINUTE);
    expect(recordHolds(doc, dir, T0 + MINUTE, SERVER)).toEqual([]);
    expect(currentHold(doc)).toBeNull();
  });
});
