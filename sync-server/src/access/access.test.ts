import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Directory, parseDirectoryJson } from '@muster/core';
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
