import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Directory } from '@muster/core';
import { parseDirectoryJson } from '../directory/directoryFile.ts';
import { groupDocName, inboxDocName } from '@muster/protocol';
import { MemoryStore } from '../store/memoryStore.ts';
import { AccessControl } from './access.ts';

const city = readFileSync(new URL('../../../packages/core/demo/city.json', import.meta.url), 'utf8');
const parsed = parseDirectoryJson(city, 'city.json');
if (!parsed.ok) throw new Error('demo city does not parse');
const dir = new Directory(parsed.directory);
const asker = (id: string) => {
  const p = dir.person(id)!;
  return { sub: p.id, unitId: p.unitId, roles: p.roles };
};

describe('ACL-5: canOpen decides for the HTTP API, the group list and inboxes', () => {
  it('an inbox opens for its person and for auditors and admins, for nobody else', async () => {
    const access = new AccessControl(new MemoryStore(), () => dir);
    expect(await access.canOpen(asker('demo016'), inboxDocName('demo016'))).toBe(true);
    expect(await access.canOpen(asker('demo015'), inboxDocName('demo016'))).toBe(false);
    expect(await access.canOpen(asker('demo004'), inboxDocName('demo016'))).toBe(true);
    expect(await access.canOpen(asker('demo003'), inboxDocName('demo016'))).toBe(true);
  });

  it('a registered group opens for its members and overseers; an unregistered one is listed for nobody', async () => {
    const store = new MemoryStore();
    const access = new AccessControl(store, () => dir);
    const doc = groupDocName('g-acl5');
    expect(await access.canOpen(asker('demo015'), doc)).toBe(false);
    await access.register('g-acl5', [
      { kind: 'initiator', ref: 'demo015', at: 1 },
      { kind: 'unit', ref: 'st-e1', at: 1 },
      { kind: 'post', ref: 'p-e-cid', at: 1 },
    ]);
    expect(await access.canOpen(asker('demo015'), doc)).toBe(true);
    expect(await access.canOpen(asker('demo010'), doc)).toBe(true);
    expect(await access.canOpen(asker('demo007'), doc)).toBe(true);
    expect(await access.canOpen(asker('demo004'), doc)).toBe(true);
    expect(await access.canOpen(asker('demo012'), doc)).toBe(false);
    expect(await access.canOpen(asker('demo023'), doc)).toBe(false);
  });
});

describe('HIST-2: the membership cache is a bounded LRU', () => {
  const registered = async (access: AccessControl, id: string) =>
    access.register(id, [
      { kind: 'initiator', ref: 'demo015', at: 1 },
      { kind: 'unit', ref: 'st-e1', at: 1 },
    ]);

  it('evicts only the least recently used group when full, never clears the rest', async () => {
    const store = new MemoryStore();
    let loads: string[] = [];
    const listGroupMembers = store.listGroupMembers.bind(store);
    store.listGroupMembers = async (groupId: string) => {
      loads.push(groupId);
      return listGroupMembers(groupId);
    };
    const access = new AccessControl(store, () => dir, { cacheLimit: 3 });
    for (const id of ['g1', 'g2', 'g3']) await registered(access, id);
    expect(access.cacheSize).toBe(3);
    // g1 is used again, so g2 is now the least recently used.
    await access.membership('g1');
    await registered(access, 'g4');
    expect(access.cacheSize).toBe(3);
    expect(access.cachedMembership('g2')).toBeNull();
    expect(access.cachedMembership('g1')?.initiator).toBe('demo015');
    expect(access.cachedMembership('g3')?.initiator).toBe('demo015');
    expect(access.cachedMembership('g4')?.initiator).toBe('demo015');
    loads = [];
    // Hits do not reach the store; the evicted group loads again, with its rows intact.
    await access.membership('g1');
    await access.membership('g4');
    expect(loads).toEqual([]);
    const g2 = await access.membership('g2');
    expect(loads).toEqual(['g2']);
    expect(g2.initiator).toBe('demo015');
    expect(g2.unitId).toBe('st-e1');
    expect(access.cacheSize).toBe(3);
  });

  it('stays at its limit however many groups pass through', async () => {
    const access = new AccessControl(new MemoryStore(), () => dir, { cacheLimit: 50 });
    for (let i = 0; i < 200; i++) await registered(access, `g${i}`);
    expect(access.cacheSize).toBe(50);
    expect(access.cachedMembership('g149')).toBeNull();
    expect(access.cachedMembership('g150')).not.toBeNull();
    expect(access.cachedMembership('g199')).not.toBeNull();
  });
});
