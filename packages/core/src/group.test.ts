import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { readMeta, startGroup } from './group.ts';
import { Root, rootMap } from './schema.ts';
import { officerA } from './testing.ts';

describe('GRP-1: starting a group on the device', () => {
  it('writes a meta record readable back', () => {
    const doc = new Y.Doc();
    startGroup(doc, {
      id: 'g-1',
      kind: 'incident',
      title: '  Phone snatched in a shop  ',
      incident: { number: 'DEMO-0001', type: 'robbery', address: 'Demo Road 1', reportedAt: 1000 },
      unitId: 'unit-st1',
      initiator: officerA,
      deviceTime: 5000,
    });
    const meta = readMeta(doc);
    expect(meta?.title).toBe('Phone snatched in a shop');
    expect(meta?.incident?.number).toBe('DEMO-0001');
    expect(meta?.initiator.personId).toBe('p-a');
  });

  it('refuses an empty title, a bad id and a second start', () => {
    const doc = new Y.Doc();
    const base = { id: 'g-1', kind: 'task' as const, title: 'x', unitId: 'u', initiator: officerA, deviceTime: 1 };
    expect(() => startGroup(doc, { ...base, title: '   ' })).toThrow(CommandError);
    expect(() => startGroup(doc, { ...base, id: 'bad id/..' })).toThrow(/group id/);
    startGroup(doc, base);
    expect(() => startGroup(doc, base)).toThrow(/already/);
  });

  it('reads null for a missing or malformed meta record', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc)).toBeNull();
    rootMap(doc, Root.meta).set('group', { id: 'g', kind: 'weird' });
    expect(readMeta(doc)).toBeNull();
  });
});
