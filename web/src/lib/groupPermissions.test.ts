import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Directory, invitePost, startGroup } from '@muster/core';
import { groupPermissions } from './groupPermissions.ts';

const dir = new Directory({
  units: [
    { id: 'sb', name: '分局', nameEn: 'SB', parentId: null, kind: 'sub-bureau' },
    { id: 'st', name: '派出所', nameEn: 'ST', parentId: 'sb', kind: 'station' },
    { id: 'sb2', name: '另一分局', nameEn: 'SB2', parentId: null, kind: 'sub-bureau' },
  ],
  posts: [
    { id: 'mgmt', unitId: 'sb', name: '协同管理岗', nameEn: 'Mgmt', kind: 'management', capabilities: [] },
    { id: 'lead', unitId: 'sb', name: '值班领导', nameEn: 'Leader', kind: 'leader', capabilities: ['duty-leader'] },
    { id: 'lead2', unitId: 'sb2', name: '另一值班领导', nameEn: 'Leader 2', kind: 'leader', capabilities: [] },
  ],
  persons: [
    { id: 'officer', name: 'O', policeNo: '1', unitId: 'st', roles: ['frontline'], postIds: [] },
    { id: 'desk', name: 'D', policeNo: '2', unitId: 'sb', roles: ['desk'], postIds: ['mgmt'] },
    { id: 'boss', name: 'B', policeNo: '3', unitId: 'sb', roles: ['leader'], postIds: ['lead'] },
    { id: 'other', name: 'X', policeNo: '4', unitId: 'st', roles: ['patrol'], postIds: [] },
    { id: 'boss2', name: 'B2', policeNo: '5', unitId: 'sb2', roles: ['leader'], postIds: ['lead2'] },
  ],
  onDuty: [
    { personId: 'desk', postId: 'mgmt', since: 0 },
    { personId: 'boss', postId: 'lead', since: 0 },
    { personId: 'boss2', postId: 'lead2', since: 0 },
  ],
});
const me = (id: string) => {
  const p = dir.person(id)!;
  return { personId: p.id, unitId: p.unitId, roles: p.roles };
};

function group(): Y.Doc {
  const doc = new Y.Doc();
  const a = { personId: 'officer', name: 'O' };
  startGroup(doc, { id: 'g-1', kind: 'incident', title: 'T', unitId: 'st', initiator: a, deviceTime: 1 });
  invitePost(doc, { id: 'i1', post: dir.postRef('mgmt')!, invitedBy: a, deviceTime: 1 });
  return doc;
}

describe('POL-1: the web app asks the core policy what a person may do (POL-4, POL-6, POL-10, POL-11)', () => {
  it('the initiator invites and closes; a bystander does neither', () => {
    const doc = group();
    expect(groupPermissions(doc, dir, me('officer'))).toMatchObject({ canInvite: true, canClose: true });
    expect(groupPermissions(doc, dir, me('other'))).toMatchObject({ canInvite: false, canClose: false });
  });
  it('the management desk on duty at an invited management post invites, signs and closes for it', () => {
    const p = groupPermissions(group(), dir, me('desk'));
    expect(p).toMatchObject({ canInvite: true, canClose: true, closePostId: 'mgmt', managementPostIds: ['mgmt'] });
    expect(p.signPostIds).toEqual(['mgmt']);
  });
  it('LATE-3 POL-12: the seal is offered to a leader acting in the group and to its management desk, not to the initiator', () => {
    const doc = group();
    expect(groupPermissions(doc, dir, me('boss')).sealPostId).toBe('lead');
    expect(groupPermissions(doc, dir, me('desk')).sealPostId).toBe('mgmt');
    expect(groupPermissions(doc, dir, me('officer')).sealPostId).toBeNull();
    expect(groupPermissions(doc, dir, me('other')).sealPostId).toBeNull();
  });

  it('a leader over the group’s unit supervises, decides and invites (as the relay allows)', () => {
    const p = groupPermissions(group(), dir, me('boss'));
    expect(p).toMatchObject({ supervisePostIds: ['lead'], decidePostIds: ['lead'], canInvite: true, canClose: false });
  });

  it('POL-6: a leader of an invited post that does not oversee the group instructs and decides, is not offered supervising', () => {
    const doc = group();
    invitePost(doc, {
      id: 'i2',
      post: dir.postRef('lead2')!,
      invitedBy: { personId: 'officer', name: 'O' },
      deviceTime: 1,
    });
    const p = groupPermissions(doc, dir, me('boss2'));
    expect(p).toMatchObject({ supervisePostIds: [], instructPostIds: ['lead2'], decidePostIds: ['lead2'] });
  });
  it('POL-17 POL-10 POL-11: whom closing and deciding wait on is named for someone who may not take the act', () => {
    const p = groupPermissions(group(), dir, me('other'));
    expect(p.canClose).toBe(false);
    expect(p.awaiting.close).toEqual({ personIds: ['officer'], postIds: ['mgmt'] });
    expect(p.decidePostIds).toEqual([]);
    expect(p.awaiting.decide).toEqual({ personIds: [], postIds: ['lead'] });
  });
});
