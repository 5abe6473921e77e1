import { describe, expect, it } from 'vitest';
import { demoDirectory, demoGroup } from './demoFixture.ts';
import {
  DEFAULT_DEADLINE_POLICY,
  closureMinutes,
  groupFactsOf,
  awaitedClosers,
  awaitedDeciders,
  awaitedInviters,
  mayAcknowledge,
  mayAssignTask,
  mayPushClue,
  maySeal,
  directoryScope,
  clueRecipientIds,
  mayCloseGroup,
  mayDecideApproval,
  mayInstruct,
  mayInvite,
  mayOpen,
  mayReadAudit,
  mayAdminister,
  maySign,
  mayWaiveTask,
  mayWriteRecord,
  recordRule,
  signOffMinutes,
} from './policy.ts';
import type { GroupFacts, ActingPerson } from './policy.ts';
import { Root } from './schema.ts';

const dir = demoDirectory();
const subject = (personId: string): ActingPerson => {
  const p = dir.person(personId)!;
  return { personId, unitId: p.unitId, roles: p.roles };
};
/** A group of 东湖派出所 started by demo016, with the sub-bureau desk and the criminal brigade invited. */
const group: GroupFacts = {
  initiator: 'demo016',
  unitId: 'st-e1',
  posts: new Set(['p-e-mgmt', 'p-e-cid']),
  persons: new Set(),
  addressedPosts: new Set(),
};

describe('POL-1: one definition of roles, duty, oversight and leader', () => {
  it('POL-3: open is write for members and leaders of the group, read for auditors, none for others', () => {
    expect(mayOpen(dir, subject('demo016'), group).mode).toBe('write');
    expect(mayOpen(dir, subject('demo010'), group).reason).toBe('invited-post');
    expect(mayOpen(dir, subject('demo007'), group).reason).toBe('overseeing-leader');
    expect(mayOpen(dir, subject('demo023'), group).mode).toBe('none');
    expect(mayOpen(dir, subject('demo004'), group).mode).toBe('read');
    expect(mayOpen(dir, subject('demo016'), null, false).mode).toBe('create');
  });

  it('POL-4: the initiator, an invited management desk and an overseeing leader invite; a patrol officer does not', () => {
    expect(mayInvite(dir, subject('demo016'), group).ok).toBe(true);
    expect(mayInvite(dir, subject('demo005'), group).ok).toBe(true);
    expect(mayInvite(dir, subject('demo007'), group).ok).toBe(true);
    expect(mayInvite(dir, subject('demo010'), group).ok).toBe(false);
    expect(mayInvite(dir, subject('demo014'), group).ok).toBe(false);
  });

  it('POL-5: only a person on duty at an invited post signs for it', () => {
    expect(maySign(dir, subject('demo010'), group, 'p-e-cid').ok).toBe(true);
    expect(maySign(dir, subject('demo016'), group, 'p-e-cid')).toMatchObject({ ok: false, code: 'not-on-duty' });
    expect(maySign(dir, subject('demo012'), group, 'p-e-legal')).toMatchObject({ ok: false, code: 'not-invited' });
  });

  it('POL-6: a patrol officer may not instruct; a leader may not address an officer of another sub-bureau', () => {
    const toOther = [{ kind: 'person' as const, id: 'demo030', name: 'x' }];
    expect(mayInstruct(dir, subject('demo016'), group, null, toOther)).toMatchObject({
      ok: false,
      code: 'not-a-leader',
    });
    expect(mayInstruct(dir, subject('demo016'), group, 'p-e-leader', toOther).ok).toBe(false);
    expect(mayInstruct(dir, subject('demo007'), group, 'p-e-leader', toOther)).toMatchObject({
      ok: false,
      code: 'foreign-addressee',
    });
    const toCid = [{ kind: 'post' as const, id: 'p-e-cid', name: 'x' }];
    expect(mayInstruct(dir, subject('demo007'), group, 'p-e-leader', toCid).ok).toBe(true);
  });

  it('POL-7: acknowledging for a post needs duty at it', () => {
    expect(mayAcknowledge(dir, subject('demo016'), 'p-e-cid')).toMatchObject({ ok: false, code: 'not-on-duty' });
    expect(mayAcknowledge(dir, subject('demo010'), 'p-e-cid').ok).toBe(true);
    expect(mayAcknowledge(dir, subject('demo016'), null).ok).toBe(true);
  });

  it('POL-9 POL-17: a member who does not run the group assigns tasks to himself only; whoever runs it to anyone', () => {
    const member = { ...group, persons: new Set(['demo014']) };
    const cid = { kind: 'post' as const, id: 'p-e-cid', name: 'x' };
    expect(mayAssignTask(dir, subject('demo014'), member, { kind: 'person', id: 'demo014', name: 'x' }).ok).toBe(true);
    expect(mayAssignTask(dir, subject('demo014'), member, cid)).toMatchObject({ ok: false, code: 'may-not-assign' });
    expect(mayAssignTask(dir, subject('demo010'), group, cid).ok).toBe(true);
    expect(mayAssignTask(dir, subject('demo016'), group, cid).ok).toBe(true);
  });

  it("POL-9: a member who does not run the group may not waive another post's task", () => {
    const task = { author: { personId: 'demo005' } };
    expect(mayWaiveTask(dir, subject('demo014'), { ...group, persons: new Set(['demo014']) }, task).ok).toBe(false);
    expect(mayWaiveTask(dir, subject('demo005'), group, task).ok).toBe(true);
    expect(mayWaiveTask(dir, subject('demo016'), group, task).ok).toBe(true);
  });

  it('POL-10 POL-11: a leader decides from a leader post; the initiator or a management desk closes', () => {
    expect(mayDecideApproval(dir, 'demo007', 'p-e-leader', group)).toBe(true);
    expect(mayDecideApproval(dir, 'demo023', 'p-w-leader', group)).toBe(false);
    expect(mayCloseGroup(dir, 'demo016', null, group)).toBe(true);
    expect(mayCloseGroup(dir, 'demo005', 'p-e-mgmt', group)).toBe(true);
    expect(mayCloseGroup(dir, 'demo010', 'p-e-cid', group)).toBe(false);
  });

  it('POL-8: a clue may go to outside units (the airport police) and reaches their patrol officers', () => {
    expect(mayPushClue(dir, subject('demo016'), group, ['out-airport', 'st-e1']).ok).toBe(true);
    expect(mayPushClue(dir, subject('demo016'), group, ['no-such-unit'])).toMatchObject({
      ok: false,
      code: 'foreign-unit',
    });
    expect(clueRecipientIds(dir, ['st-e1'])).toContain('demo016');
  });

  it('POL-8: a clue targets units, never a post directly (a post id among the targets is refused)', () => {
    expect(mayPushClue(dir, subject('demo016'), group, ['p-e-cid'])).toMatchObject({ ok: false, code: 'foreign-unit' });
    expect(mayPushClue(dir, subject('demo016'), group, ['br-e-cid', 'p-out-airport']).ok).toBe(false);
  });

  it('POL-17 POL-10 POL-11 POL-4: whom closing, deciding and inviting wait on is what the acts allow', () => {
    const invitedWest = { ...group, posts: new Set([...group.posts, 'p-w-leader']) };
    expect(awaitedClosers(dir, group)).toEqual({ personIds: ['demo016'], postIds: ['p-e-mgmt'] });
    // The group's own leader posts first (invited, supervising), then the overseeing ones from its unit upwards.
    expect(awaitedDeciders(dir, invitedWest).postIds).toEqual([
      'p-w-leader',
      'p-e-leader',
      'p-e-chief',
      'p-city-leader',
    ]);
    expect(awaitedInviters(dir, group).postIds).toEqual(['p-e-mgmt', 'p-e-leader', 'p-e-chief', 'p-city-leader']);
    for (const postId of awaitedDeciders(dir, invitedWest).postIds) {
      const leader = dir.onDutyAt(postId)[0]!.id;
      expect(mayDecideApproval(dir, leader, postId, invitedWest)).toBe(true);
    }
    expect(mayCloseGroup(dir, 'demo005', awaitedClosers(dir, group).postIds[0]!, group)).toBe(true);
  });

  it('POL-12: a leader acting in the group or an invited management desk seals; others do not', () => {
    expect(maySeal(dir, 'demo007', 'p-e-leader', group)).toBe(true);
    expect(maySeal(dir, 'demo005', 'p-e-mgmt', group)).toBe(true);
    expect(maySeal(dir, 'demo010', 'p-e-cid', group)).toBe(false);
    expect(maySeal(dir, 'demo016', null, group)).toBe(false);
  });

  it('POL-13: desks, leaders and auditors see every person; a patrol officer sees his own unit', () => {
    expect(directoryScope(subject('demo005')).persons).toBe('all');
    expect(directoryScope(subject('demo007')).persons).toBe('all');
    expect(directoryScope(subject('demo004')).persons).toBe('all');
    expect(directoryScope(subject('demo014')).persons).toBe('own-unit');
  });

  it('POL-14: only auditors read the audit log', () => {
    expect(mayReadAudit(subject('demo004')).ok).toBe(true);
    expect(mayReadAudit(subject('demo003')).ok).toBe(false);
  });

  it('POL-19: only admins administer the server', () => {
    expect(mayAdminister(subject('demo003')).ok).toBe(true);
    expect(mayAdminister(subject('demo004'))).toMatchObject({ ok: false, code: 'not-an-admin' });
    expect(mayAdminister(subject('demo005')).ok).toBe(false);
  });

  it('POL-15: deadlines come from the policy, per incident type when an admin set one', () => {
    const p = { ...DEFAULT_DEADLINE_POLICY, byIncidentType: { theft: { signOffMinutes: { management: 5 } } } };
    expect(signOffMinutes(p, 'theft', 'management')).toBe(5);
    expect(signOffMinutes(p, 'theft', 'support')).toBe(30);
    expect(signOffMinutes(p, null, 'management')).toBe(10);
    expect(closureMinutes(p, 'theft')).toBe(24 * 60);
  });
});

describe('POL-2: every record a client writes has a rule; unknown roots and kinds are refused', () => {
  const { doc } = demoGroup();
  const ctx = { dir, subject: subject('demo016'), group: groupFactsOf(doc), doc, starting: false };
  const author = { personId: 'demo016', name: 'x' };
  const finding = { id: 'f1', type: 'finding', text: 'seen', author, deviceTime: 1 };

  it('a made-up root and an unknown entry kind are refused', () => {
    expect(mayWriteRecord(ctx, 'junk', 'k', { a: 1 })).toMatchObject({ ok: false, code: 'unknown-root' });
    expect(mayWriteRecord(ctx, Root.entries, 'x1', { ...finding, id: 'x1', type: 'poem' })).toMatchObject({
      ok: false,
      code: 'unknown-kind',
    });
    expect(recordRule(Root.entries, finding)).not.toBeNull();
  });

  it('POL-16: a record over its size cap is refused; a valid finding by its author is allowed', () => {
    expect(mayWriteRecord(ctx, Root.entries, 'f1', finding).ok).toBe(true);
    const big = { ...finding, text: 'x'.repeat(3_000_000) };
    expect(mayWriteRecord(ctx, Root.entries, 'f1', big)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('POL-16: a photo is referred to by its content address only (no bytes or links beside it)', () => {
    const photo = { hash: 'a'.repeat(64), mime: 'image/jpeg', size: 10, width: 1, height: 1 };
    expect(mayWriteRecord(ctx, Root.entries, 'f1', { ...finding, photos: [photo] }).ok).toBe(true);
    const inline = { ...photo, data: 'data:image/jpeg;base64,AAAA' };
    expect(mayWriteRecord(ctx, Root.entries, 'f1', { ...finding, photos: [inline] })).toMatchObject({
      ok: false,
      code: 'bad-record',
    });
  });

  it('a record naming someone else as its author is refused', () => {
    const forged = { ...finding, author: { personId: 'demo010', name: 'x' } };
    expect(mayWriteRecord(ctx, Root.entries, 'f1', forged)).toMatchObject({ ok: false, code: 'impersonation' });
  });
});
