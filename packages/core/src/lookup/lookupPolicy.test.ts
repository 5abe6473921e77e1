import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { demoDirectory } from '../demoFixture.ts';
import { lookupClearance, mayQuerySource, mayRevealLookup, mayWriteRecord } from '../policy.ts';
import type { ActingPerson, GroupFacts } from '../policy.ts';
import { Root } from '../schema.ts';

const dir = demoDirectory();
const subject = (personId: string): ActingPerson => {
  const p = dir.person(personId)!;
  return { personId, unitId: p.unitId, roles: p.roles };
};
const group: GroupFacts = {
  initiator: 'demo015',
  unitId: 'st-e1',
  posts: new Set(['p-e-data']),
  persons: new Set(),
  addressedPosts: new Set(),
};
const ctx = (personId: string) => ({ dir, subject: subject(personId), group, doc: new Y.Doc(), starting: false });
const actor = (personId: string) => ({ personId, name: dir.person(personId)!.name });

describe('look-up policy', () => {
  it('ASSIST-7: clearance from duty: frontline on duty 1, data-support post 2, leader on duty 2, off duty 0', () => {
    expect(lookupClearance(dir, 'demo015')).toBe(1); // on duty at 东湖派出所值班岗
    expect(lookupClearance(dir, 'demo009')).toBe(2); // on duty at the data-support post
    expect(lookupClearance(dir, 'demo007')).toBe(2); // duty leader on duty
    expect(lookupClearance(dir, 'demo016')).toBe(0); // patrol officer with no post
  });

  it('ASSIST-7: a source asks for clearance and, optionally, roles; ASSIST-6: reveal needs clearance 2', () => {
    expect(mayQuerySource(dir, 'demo015', { clearance: 1 })).toEqual({ ok: true });
    expect(mayQuerySource(dir, 'demo015', { clearance: 2 })).toMatchObject({ ok: false, code: 'no-clearance' });
    expect(mayQuerySource(dir, 'demo016', { clearance: 0, roles: ['desk'] })).toMatchObject({
      ok: false,
      code: 'not-allowed',
    });
    expect(mayRevealLookup(dir, 'demo015')).toMatchObject({ ok: false, code: 'no-clearance' });
    expect(mayRevealLookup(dir, 'demo009')).toEqual({ ok: true });
  });

  it('POL-2 ASSIST-4 ASSIST-8: questions are any member’s own records; pushes are for desks and leaders', () => {
    const q = { id: 'q1', text: '查身份证 99010119850101234X', by: actor('demo016'), deviceTime: 1 };
    expect(mayWriteRecord(ctx('demo016'), Root.questions, 'q1', q)).toEqual({ ok: true });
    expect(mayWriteRecord(ctx('demo015'), Root.questions, 'q1', q)).toMatchObject({ ok: false, code: 'impersonation' });
    expect(mayWriteRecord(ctx('demo016'), Root.questions, 'q1', { ...q, text: '' })).toMatchObject({
      ok: false,
      code: 'bad-record',
    });
    const push = (by: string) => ({
      id: 'p1',
      questionId: 'q1',
      to: actor('demo015'),
      text: '前科 2 条',
      by: actor(by),
      deviceTime: 1,
    });
    expect(mayWriteRecord(ctx('demo009'), Root.lookupPushes, 'p1', push('demo009'))).toEqual({ ok: true });
    expect(mayWriteRecord(ctx('demo016'), Root.lookupPushes, 'p1', push('demo016'))).toMatchObject({
      ok: false,
      code: 'may-not-push',
    });
  });
});
