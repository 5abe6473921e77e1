import { describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { toDirectoryData, withDuty } from './directoryData.ts';

describe('directory data from the server', () => {
  it('defaults fields the server does not send yet and drops bad rows', () => {
    const d = toDirectoryData({
      units: [{ id: 'u1', name: '东湖派出所', nameEn: 'Donghu', parentId: null, kind: 'station' }, { id: 1 }],
      posts: [
        { id: 'p1', unitId: 'u1', name: '协同管理岗', nameEn: 'Mgmt', kind: 'management', initials: 'XTGLG' },
        { id: 'p2', unitId: 'u1', name: 'x', kind: 'weird' },
      ],
    });
    expect(d.units).toHaveLength(1);
    expect(d.posts).toEqual([
      {
        id: 'p1',
        unitId: 'u1',
        name: '协同管理岗',
        nameEn: 'Mgmt',
        kind: 'management',
        capabilities: [],
        initials: 'xtglg',
      },
    ]);
    expect(d.persons).toEqual([]);
    expect(d.onDuty).toEqual([]);
    expect(new Directory(d).searchPosts('xt').map((p) => p.id)).toEqual(['p1']);
  });
  it('replaces one person’s duty rows, keeping the since of posts still held', () => {
    const d = toDirectoryData({
      onDuty: [
        { personId: 'a', postId: 'p1', since: 5 },
        { personId: 'b', postId: 'p1', since: 6 },
      ],
    });
    expect(withDuty(d, 'a', ['p1', 'p2'], 9).onDuty).toEqual([
      { personId: 'b', postId: 'p1', since: 6 },
      { personId: 'a', postId: 'p1', since: 5 },
      { personId: 'a', postId: 'p2', since: 9 },
    ]);
  });
});
