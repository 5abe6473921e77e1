import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.ts';
import { silentLogger } from '../log.ts';
import { MemoryStore } from '../store/memoryStore.ts';
import { parseDirectory, readDirectoryFile, seedDirectory } from './demoDirectory.ts';

describe('demo directory', () => {
  it('is a consistent fictional city with the posts the scenarios need', () => {
    const d = readDirectoryFile();
    expect(d.units[0]!.name).toContain('fictional');
    expect(d.units.filter((u) => u.kind === 'sub-bureau')).toHaveLength(2);
    expect(d.units.filter((u) => u.kind === 'station').length).toBeGreaterThanOrEqual(3);
    for (const brigade of ['刑警大队', '巡特警大队', '法制大队', '交警大队']) {
      const unit = d.units.find((u) => u.name === brigade);
      expect(unit, brigade).toBeDefined();
      expect(d.posts.some((p) => p.unitId === unit!.id && p.kind === 'support')).toBe(true);
    }
    for (const sub of d.units.filter((u) => u.kind === 'sub-bureau')) {
      expect(d.posts.filter((p) => p.unitId === sub.id).map((p) => p.kind)).toEqual(['management', 'leader']);
    }
    expect(d.posts.some((p) => p.name === '数据赋能岗')).toBe(true);
    expect(d.persons.length).toBeGreaterThanOrEqual(12);
    expect(d.persons.every((p) => /^demo\d{3}$/.test(p.policeNo))).toBe(true);
  });

  it('rejects dangling references', () => {
    const d = readDirectoryFile();
    const bad = structuredClone(d) as unknown as { persons: { postIds: string[] }[] };
    bad.persons[0]!.postIds = ['p-nowhere'];
    expect(() => parseDirectory(bad)).toThrow(/unknown post/);
    expect(() => parseDirectory({ ...d, units: [...d.units, d.units[0]] })).toThrow(/duplicate unit/);
  });

  it('seeds the store once with hashed passwords', async () => {
    const store = new MemoryStore();
    const d = readDirectoryFile();
    d.persons = d.persons.slice(0, 2);
    expect(await seedDirectory(store, d, silentLogger)).toBe(true);
    expect(await seedDirectory(store, d, silentLogger)).toBe(false);
    const p = (await store.findPersonByPoliceNo('demo001'))!;
    expect(p.passwordHash).not.toContain('muster-demo');
    expect(await verifyPassword('muster-demo', p.passwordHash)).toBe(true);
    expect((await store.getDirectory()).units).toHaveLength(d.units.length);
  });
});
