import { describe, expect, it } from 'vitest';
import { acknowledge } from './acks.ts';
import { clueRecipients, clueViews, pushClue } from './clues.ts';
import { actorOf, demoGroup, T0 } from './demoFixture.ts';
import { giveInstruction, instructionViews, supervise, supervisors } from './instructions.ts';
import { maySupervise } from './policy.ts';
import { timeline } from './timeline.ts';

describe('supervision and instructions', () => {
  it('SUP-1: a leader on duty at a leader post over the group unit may supervise; others may not', () => {
    const { dir } = demoGroup();
    expect(maySupervise(dir, 'demo008', 'p-e-chief', 'st-e1')).toBe(true);
    expect(maySupervise(dir, 'demo001', 'p-city-leader', 'st-e1')).toBe(true);
    expect(maySupervise(dir, 'demo024', 'p-w-chief', 'st-e1')).toBe(false); // another sub-bureau
    expect(maySupervise(dir, 'demo005', 'p-e-mgmt', 'st-e1')).toBe(false); // not a leader post
  });

  it('SUP-1: supervision records are listed once per person and post', () => {
    const { doc, dir } = demoGroup();
    const chief = actorOf(dir, 'demo008');
    supervise(doc, { id: 'sv1', postId: 'p-e-chief', by: chief, deviceTime: T0 });
    supervise(doc, { id: 'sv2', postId: 'p-e-chief', by: chief, deviceTime: T0 + 1 });
    expect(supervisors(doc).map((s) => s.id)).toEqual(['sv1']);
  });

  it('INS-1/INS-2/INS-3: an instruction to a post and a person shows who has seen and who has acknowledged it', () => {
    const { doc, dir } = demoGroup();
    const chief = actorOf(dir, 'demo008');
    giveInstruction(doc, {
      id: 'ins1',
      text: '立即调取周边视频',
      to: [
        { kind: 'post', id: 'p-e-cid', name: '东城刑警大队协同支撑岗' },
        { kind: 'person', id: 'demo016', name: 'Initiator' },
      ],
      author: chief,
      postId: 'p-e-chief',
      deviceTime: T0 + 1,
    });
    expect(timeline(doc).map((t) => t.entry.type)).toEqual(['instruction']);
    acknowledge(doc, {
      id: 'a1',
      entryId: 'ins1',
      kind: 'seen',
      by: actorOf(dir, 'demo010'),
      postId: 'p-e-cid',
      deviceTime: T0 + 2,
    });
    let v = instructionViews(doc)[0]!;
    expect(v.addressees.map((a) => [a.addressee.id, a.seen, a.acknowledged])).toEqual([
      ['p-e-cid', true, false],
      ['demo016', false, false],
    ]);
    acknowledge(doc, {
      id: 'a2',
      entryId: 'ins1',
      kind: 'ack',
      by: actorOf(dir, 'demo010'),
      postId: 'p-e-cid',
      deviceTime: T0 + 3,
    });
    acknowledge(doc, { id: 'a3', entryId: 'ins1', kind: 'ack', by: actorOf(dir, 'demo016'), deviceTime: T0 + 4 });
    v = instructionViews(doc)[0]!;
    expect(v.fullyAcknowledged).toBe(true);
    expect(v.acks.map((a) => [a.person.personId, a.seen?.id, a.acked?.id])).toEqual([
      ['demo010', 'a1', 'a2'],
      ['demo016', 'a3', 'a3'],
    ]);
    expect(() => giveInstruction(doc, { id: 'ins2', text: 'x', to: [], author: chief, deviceTime: T0 })).toThrow(
      /addressee/,
    );
  });
});

describe('clues', () => {
  it('CLUE-2: a clue reaches the patrol officers of the target units; CLUE-3: the sender sees who acknowledged', () => {
    const { doc, dir } = demoGroup();
    const clue = pushClue(doc, {
      id: 'c1',
      text: '嫌疑人身穿黑色外套，向东湖方向逃离 (fictional)',
      targetUnitIds: ['st-e1', 'ks-e1', 'ks-e1'],
      author: actorOf(dir, 'demo005'),
      deviceTime: T0 + 1,
    });
    expect(clue.targetUnitIds).toEqual(['st-e1', 'ks-e1']);
    expect(clueRecipients(dir, clue).map((p) => p.id)).toEqual(['demo016', 'demo037', 'demo038']);
    acknowledge(doc, { id: 'k1', entryId: 'c1', kind: 'ack', by: actorOf(dir, 'demo038'), deviceTime: T0 + 2 });
    const v = clueViews(doc, dir)[0]!;
    expect(v.recipients.map((r) => [r.person.personId, r.acknowledged])).toEqual([
      ['demo016', false],
      ['demo037', false],
      ['demo038', true],
    ]);
    expect(() =>
      pushClue(doc, { id: 'c2', text: 'x', targetUnitIds: [], author: actorOf(dir, 'demo005'), deviceTime: T0 }),
    ).toThrow(/unit/);
  });

  it('CLUE-1: only instructions and clues can be acknowledged', () => {
    const { doc, dir } = demoGroup();
    expect(() =>
      acknowledge(doc, { id: 'k', entryId: 'nope', kind: 'ack', by: actorOf(dir, 'demo038'), deviceTime: T0 }),
    ).toThrow(/instructions and clues/);
  });
});
