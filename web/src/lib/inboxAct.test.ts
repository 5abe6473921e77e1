import { describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import type { InboxItem } from '@muster/core';
import { actOf } from './inboxAct.ts';

const dir = new Directory({
  units: [{ id: 'sb', name: '分局', nameEn: 'SB', parentId: null, kind: 'sub-bureau' }],
  posts: [{ id: 'mgmt', unitId: 'sb', name: '协同管理岗', nameEn: 'Mgmt', kind: 'management', capabilities: [] }],
  persons: [
    { id: 'on', name: 'On', policeNo: '1', unitId: 'sb', roles: ['desk'], postIds: ['mgmt'] },
    { id: 'off', name: 'Off', policeNo: '2', unitId: 'sb', roles: ['desk'], postIds: ['mgmt'] },
  ],
  onDuty: [{ personId: 'on', postId: 'mgmt', since: 0 }],
});
const me = (id: string) => ({ personId: id, unitId: 'sb', roles: ['desk'] });
const item = (kind: InboxItem['kind'], postId?: string): InboxItem => ({
  id: `${kind}.g.r`,
  kind,
  groupId: 'g',
  groupTitle: 'G',
  refId: 'r',
  text: '',
  at: 0,
  ...(postId ? { postId } : {}),
});

describe('POL-17 POL-5: an inbox row offers only an act the policy allows', () => {
  it('signing an invitation is offered on duty at its post, not to one who merely holds it', () => {
    expect(actOf(item('invitation', 'mgmt'), dir, me('on'))).toBe('sign');
    expect(actOf(item('invitation', 'mgmt'), dir, me('off'))).toBeNull();
    expect(actOf(item('invitation'), dir, me('on'))).toBeNull();
  });
  it('POL-7: clues and instructions are acknowledged for oneself; other items offer nothing', () => {
    expect(actOf(item('clue'), dir, me('off'))).toBe('ack');
    expect(actOf(item('instruction'), dir, me('off'))).toBe('ack');
    expect(actOf(item('escalation', 'mgmt'), dir, me('on'))).toBeNull();
    expect(actOf(item('clue'), dir, null)).toBeNull();
  });
});
