import { describe, expect, it } from 'vitest';
import { acknowledge } from './acks.ts';
import { pushClue } from './clues.ts';
import { actorOf, demoGroup, stampAll, T0 } from './demoFixture.ts';
import { CommandError } from './errors.ts';
import { giveInstruction } from './instructions.ts';
import { signOff } from './invitations.ts';
import { mayWriteRecord } from './policy.ts';
import { groupFactsOf } from './policy/facts.ts';
import { reminderDeliveries, remind, remindersOf } from './reminders.ts';
import { Root } from './schema.ts';
import { MINUTE } from './sla.ts';

describe('REMIND-1..3: 催办', () => {
  it('REMIND-2: a clue reminder goes to the recipients who have not acknowledged; a second one is a new item', () => {
    const { doc, dir } = demoGroup();
    const sender = actorOf(dir, 'demo005');
    pushClue(doc, { id: 'c1', text: '嫌疑人向东逃离', targetUnitIds: ['ks-e1'], author: sender, deviceTime: T0 });
    acknowledge(doc, { id: 'k1', entryId: 'c1', kind: 'ack', by: actorOf(dir, 'demo037'), deviceTime: T0 });
    remind(doc, { id: 'r1', refKind: 'clue', refId: 'c1', by: sender, deviceTime: T0 });
    expect(reminderDeliveries(doc, dir)).toEqual([]); // not before the relay stamped it
    stampAll(doc, T0 + MINUTE);
    const got = reminderDeliveries(doc, dir);
    expect(got.map((d) => [d.personId, d.item.kind, d.item.refId, d.item.remindedBy])).toEqual([
      ['demo038', 'clue', 'c1', sender.name],
    ]);
    remind(doc, { id: 'r2', refKind: 'clue', refId: 'c1', by: sender, deviceTime: T0 });
    stampAll(doc, T0 + 2 * MINUTE);
    const second = reminderDeliveries(doc, dir, ['r2']);
    expect(second.map((d) => d.personId)).toEqual(['demo038']);
    expect(second[0]!.item.id).not.toBe(got[0]!.item.id);
    expect(remindersOf(doc, 'c1').map((r) => r.id)).toEqual(['r1', 'r2']);
  });

  it('REMIND-2: an invitation reminder goes to the persons on duty at the post until it is signed', () => {
    const { doc, dir } = demoGroup();
    const inv = [...doc.getMap(Root.invitations).values()][0] as { id: string; post: { id: string } };
    const onDuty = dir.onDutyAt(inv.post.id).map((p) => p.id);
    expect(onDuty.length).toBeGreaterThan(0);
    remind(doc, { id: 'r1', refKind: 'invitation', refId: inv.id, by: actorOf(dir, 'demo007'), deviceTime: T0 });
    stampAll(doc, T0 + MINUTE);
    const items = reminderDeliveries(doc, dir);
    expect(items.map((d) => d.personId).sort()).toEqual(onDuty.sort());
    expect(items[0]!.item).toMatchObject({ kind: 'invitation', refId: inv.id, postId: inv.post.id });
    signOff(doc, { id: 's1', invitationId: inv.id, by: actorOf(dir, onDuty[0]!), deviceTime: T0 });
    expect(reminderDeliveries(doc, dir)).toEqual([]);
  });

  it('REMIND-1: a reminder names a clue or invitation of the group; POL-20: whoever runs the group or the author', () => {
    const { doc, dir } = demoGroup();
    const by = actorOf(dir, 'demo005');
    expect(() => remind(doc, { id: 'r1', refKind: 'clue', refId: 'nope', by, deviceTime: T0 })).toThrow(CommandError);
    pushClue(doc, { id: 'c1', text: 'x', targetUnitIds: ['ks-e1'], author: actorOf(dir, 'demo016'), deviceTime: T0 });
    const rec = (personId: string) => ({
      id: 'r9',
      refKind: 'clue',
      refId: 'c1',
      by: actorOf(dir, personId),
      deviceTime: T0,
    });
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
    // the clue's author (demo016, the initiator) and a leader of the group may; a patrol officer elsewhere may not
    expect(mayWriteRecord(ctx('demo016'), Root.reminders, 'r9', rec('demo016')).ok).toBe(true);
    expect(mayWriteRecord(ctx('demo007'), Root.reminders, 'r9', rec('demo007')).ok).toBe(true);
    expect(mayWriteRecord(ctx('demo030'), Root.reminders, 'r9', rec('demo030'))).toMatchObject({
      ok: false,
      code: 'may-not-remind',
    });
  });

  it('REMIND-4: an instruction reminder goes to addressees who have not acknowledged it; POL-20: its author may', () => {
    const { doc, dir } = demoGroup();
    const leader = actorOf(dir, 'demo007');
    const cidOnDuty = dir.onDutyAt('p-e-cid').map((p) => p.id);
    expect(cidOnDuty.length).toBeGreaterThan(0);
    giveInstruction(doc, {
      id: 'i1',
      text: '全力追查',
      to: [
        { kind: 'person', id: 'demo016', name: 'n' },
        { kind: 'post', id: 'p-e-cid', name: '刑警大队' },
      ],
      author: leader,
      postId: 'p-e-leader',
      deviceTime: T0,
    });
    acknowledge(doc, { id: 'k1', entryId: 'i1', kind: 'ack', by: actorOf(dir, 'demo016'), deviceTime: T0 });
    remind(doc, { id: 'r1', refKind: 'instruction', refId: 'i1', by: leader, deviceTime: T0 });
    stampAll(doc, T0 + MINUTE);
    const items = reminderDeliveries(doc, dir);
    // demo016 acknowledged; the post's persons on duty have not
    expect(items.map((d) => d.personId).sort()).toEqual([...cidOnDuty].sort());
    expect(items[0]!.item).toMatchObject({
      kind: 'instruction',
      refId: 'i1',
      text: '全力追查',
      remindedBy: leader.name,
    });
    acknowledge(doc, {
      id: 'k2',
      entryId: 'i1',
      kind: 'ack',
      by: actorOf(dir, cidOnDuty[0]!),
      postId: 'p-e-cid',
      deviceTime: T0,
    });
    expect(reminderDeliveries(doc, dir)).toEqual([]);
    // a clue's id is not an instruction
    pushClue(doc, { id: 'c1', text: 'x', targetUnitIds: ['ks-e1'], author: leader, deviceTime: T0 });
    expect(() => remind(doc, { id: 'r2', refKind: 'instruction', refId: 'c1', by: leader, deviceTime: T0 })).toThrow(
      CommandError,
    );
    // POL-20: the leader who gave it may; a patrol officer of another sub-bureau may not
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
    const rec = (personId: string) => ({
      id: 'r9',
      refKind: 'instruction',
      refId: 'i1',
      by: actorOf(dir, personId),
      deviceTime: T0,
    });
    expect(mayWriteRecord(ctx('demo007'), Root.reminders, 'r9', rec('demo007')).ok).toBe(true);
    expect(mayWriteRecord(ctx('demo030'), Root.reminders, 'r9', rec('demo030'))).toMatchObject({
      ok: false,
      code: 'may-not-remind',
    });
  });
});
