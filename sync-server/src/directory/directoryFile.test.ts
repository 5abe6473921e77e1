import { describe, expect, it } from 'vitest';
import { parseDirectoryCsv, parseDirectoryJson } from './directoryFile.ts';

const goodCsv = `# fictional test directory
[units]
id,name,nameEn,parentId,kind,initials
u-city,演示市局,Demo City,,city-bureau,ysj
u-sb,演示分局,Demo Sub,u-city,sub-bureau,
[posts]
id,unitId,name,nameEn,kind,capabilities
p-m,u-sb,"协同管理岗, 演示",Management,management,
p-d,u-sb,数据岗,Data,support,data-support;duty
[persons]
id,name,policeNo,unitId,roles,postIds
x1,测试一,demo901,u-sb,desk;frontline,p-m;p-d
[onDuty]
personId,postId,since
x1,p-m,2026-01-01T00:00:00Z
`;

describe('directory import', () => {
  it('DIR-1: a CSV file in the documented section format imports', () => {
    const r = parseDirectoryCsv(goodCsv, 'dir.csv');
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.directory.units[1]).toEqual({
      id: 'u-sb',
      name: '演示分局',
      nameEn: 'Demo Sub',
      parentId: 'u-city',
      kind: 'sub-bureau',
    });
    expect(r.directory.posts[0]?.name).toBe('协同管理岗, 演示');
    expect(r.directory.posts[1]?.capabilities).toEqual(['data-support', 'duty']);
    expect(r.directory.onDuty[0]).toEqual({ personId: 'x1', postId: 'p-m', since: Date.parse('2026-01-01T00:00:00Z') });
  });

  it('DIR-2: a bad CSV row gives errors naming file, line and field, and no data at all', () => {
    const bad = goodCsv
      .replace('u-sb,演示分局,Demo Sub,u-city,sub-bureau,', 'u-sb,演示分局,Demo Sub,u-nowhere,bureau,')
      .replace('x1,p-m,2026', 'x1,p-zz,2026');
    const r = parseDirectoryCsv(bad, 'dir.csv');
    expect(r.ok).toBe(false);
    expect('directory' in r).toBe(false); // nothing half-imported
    if (r.ok) return;
    expect(r.errors).toEqual([
      { file: 'dir.csv', line: 5, field: 'kind', message: expect.stringContaining('one of') },
      { file: 'dir.csv', line: 5, field: 'parentId', message: 'no unit "u-nowhere"' },
      { file: 'dir.csv', line: 15, field: 'postId', message: 'no post "p-zz"' },
    ]);
  });

  it('DIR-2: a bad JSON record is reported on its own line; invalid JSON names the line too', () => {
    const text = `{
  "units": [
    { "id": "u1", "name": "甲", "nameEn": "A", "parentId": null, "kind": "city-bureau" },
    { "id": "u2", "name": "", "nameEn": "B", "parentId": "u1", "kind": "station" }
  ],
  "posts": [],
  "persons": [
    { "id": "x", "name": "测", "policeNo": "demo1", "unitId": "u2", "roles": ["pilot"], "postIds": [] }
  ]
}`;
    const r = parseDirectoryJson(text, 'dir.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.file, e.line, e.field])).toEqual([
      ['dir.json', 4, 'name'],
      ['dir.json', 8, 'roles'],
    ]);
    const broken = parseDirectoryJson('{\n "units": [\n  {"id": }\n]}', 'x.json');
    expect(broken.ok ? null : broken.errors[0]).toMatchObject({ file: 'x.json', line: 3, field: 'file' });
  });

  it('DIR-2: duplicate ids and a unit that is its own ancestor are refused', () => {
    const r = parseDirectoryJson(
      JSON.stringify({
        units: [
          { id: 'a', name: '甲', nameEn: 'A', parentId: 'b', kind: 'station' },
          { id: 'b', name: '乙', nameEn: 'B', parentId: 'a', kind: 'station' },
          { id: 'b', name: '丙', nameEn: 'C', parentId: null, kind: 'station' },
        ],
        posts: [],
        persons: [],
      }),
      'd.json',
    );
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining(['duplicate id "b"', expect.stringMatching(/is its own ancestor/)]),
    );
  });
});
