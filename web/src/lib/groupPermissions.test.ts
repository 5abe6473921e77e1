import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Directory, invitationViews, invitePost, startGroup } from '@muster/core';
import { groupPermissions } from './groupPermissions.ts';

const dir = new Directory({
  units: [
    { id: 'sb', name: '分局', nameEn: 'SB', parentId: null, kind: 'sub-bureau' },
    { id: 'st', name: '派出所', nameEn: 'ST', parentId: 'sb', kind: 'station' },
  ],
  posts: [
    { id: 'mgmt', unitId: 'sb', name: '协同管理岗', nameEn: 'Mgmt', kind: 'management', capabilities: [] },
    { id: 'lead', unitId: 'sb', name: '值班领导', nameEn: 'Leader', kind: 'leader', capabilities: ['duty-leader'] },
  ],
  persons: [],
  onDuty: [
    { personId: 'desk', postId: 'mgmt', since: 0 },
    { personId: 'boss', postId: 'lead', since: 0 },
  ],
});

function group(): Y.Doc {
  const doc = new Y.Doc();
  const a = { personId: 'officer', name: 'O' };
  startGroup(doc, { id: 'g-1', kind: 'incident', title: 'T', unitId: 'st', initiator: a, deviceTime: 1 });
  invitePost(doc, { id: 'i1', post: dir.postRef('mgmt')!, invitedBy: a, deviceTime: 1 });
  return doc;
}

describe('group permissions (INV, SUP-1, APR-3, CLOSE-1)', () => {
  it('the initiator invites and closes; a bystander does neither', () => {
    const doc = group();
    const inv = invitationViews(doc, 0);
    expect(groupPermissions(doc, inv, dir, 'officer', [])).toMatchObject({ canInvite: true, canClose: true });
    expect(groupPermissions(doc, inv, dir, 'other', [])).toMatchObject({ canInvite: false, canClose: false });
  });
  it('the management desk on duty at an invited management post invites and closes for it', () => {
    const doc = group();
    const p = groupPermissions(doc, invitationViews(doc, 0), dir, 'desk', ['mgmt']);
    expect(p).toMatchObject({ canInvite: true, canClose: true, closePostId: 'mgmt', managementPostIds: ['mgmt'] });
  });
  it('a leader over the group’s unit supervises and decides', () => {
    const doc = group();
    const p = groupPermissions(doc, invitationViews(doc, 0), dir, 'boss', ['lead']);
    expect(p).toMatchObject({ supervisePostIds: ['lead'], decidePostIds: ['lead'], canInvite: false });
  });
});
