import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.ts';
import { silentLogger } from '../log.ts';
import { MemoryStore } from '../store/memoryStore.ts';
import { DirectoryFileError, parseDirectoryText, readDirectoryFile, seedDirectory } from './demoDirectory.ts';

describe('demo directory', () => {
  it('DIR-1: the server seeds the one fictional demo city of packages/core/demo', () => {
    const d = readDirectoryFile();
    expect(d.units[0]!.nameEn).toContain('fictional');
    expect(d.units.filter((u) => u.kind === 'sub-bureau')).toHaveLength(2);
    expect(d.persons).toHaveLength(49);
    expect(d.persons.every((p) => /^demo\d{3}$/.test(p.policeNo))).toBe(true);
    expect(d.onDuty.some((o) => o.personId === 'demo007' && o.postId === 'p-e-leader')).toBe(true);
  });

  it('DIR-2: a bad file names file, line and field', () => {
    const text = JSON.stringify(
      { units: [{ id: 'u', name: 'U', nameEn: 'U', parentId: null, kind: 'planet' }], posts: [], persons: [] },
      null,
      2,
    );
    try {
      parseDirectoryText(text, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DirectoryFileError);
      expect((error as Error).message).toMatch(/^bad\.json:\d+ kind: /);
    }
  });

  it('seeds the store once with hashed passwords and the on-duty rows', async () => {
    const store = new MemoryStore();
    const d = readDirectoryFile();
    expect(await seedDirectory(store, d, silentLogger)).toBe(true);
    expect(await seedDirectory(store, d, silentLogger)).toBe(false);
    const p = (await store.findPersonByPoliceNo('demo015'))!;
    expect(p).toMatchObject({ unitId: 'st-e1', postIds: ['p-st-e1'] });
    expect(p.passwordHash).not.toContain('muster-demo');
    expect(await verifyPassword('muster-demo', p.passwordHash)).toBe(true);
    const stored = await store.getDirectory();
    expect(stored.units).toHaveLength(d.units.length);
    expect(stored.onDuty).toHaveLength(d.onDuty.length);
    expect(stored.posts.find((x) => x.id === 'p-e-leader')!.capabilities).toEqual(['duty-leader']);
  });
});
