import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { startGroup } from '../group.ts';
import { addFinding } from '../timeline.ts';
import { herePlaces, parsePointValue, pointValue } from './place.ts';

const by = { personId: 'u1', name: '测试警员' };

describe('the place "here" means', () => {
  it('ASSIST-12: the latest located finding when a source takes positions, else the incident address', () => {
    const doc = new Y.Doc();
    expect(herePlaces(doc, true)).toEqual([]);
    startGroup(doc, {
      id: 'g1',
      kind: 'incident',
      title: 'T',
      incident: { number: 'J-1', type: 'assault', address: '滨江大道66号', reportedAt: null },
      unitId: 'st-e1',
      initiator: by,
      deviceTime: 1,
    });
    expect(herePlaces(doc, true)).toEqual([{ kind: 'address', value: '滨江大道66号' }]);
    addFinding(doc, {
      id: 'f1',
      text: 'a',
      author: by,
      deviceTime: 2,
      location: { lat: 31.5, lon: 118.5, accuracy: 9 },
    });
    addFinding(doc, { id: 'f2', text: 'b', author: by, deviceTime: 3 });
    addFinding(doc, {
      id: 'f3',
      text: 'c',
      author: by,
      deviceTime: 4,
      location: { lat: 31.25, lon: 118.125, accuracy: 9 },
    });
    expect(herePlaces(doc, true)[0]).toMatchObject({ kind: 'point', value: '31.25000,118.12500' });
    expect(herePlaces(doc, false)).toEqual([{ kind: 'address', value: '滨江大道66号' }]);
  });

  it('ASSIST-12: a position is written as lat,lon and read back; anything else is not one', () => {
    expect(pointValue({ lat: -1.123456, lon: 118 })).toBe('-1.12346,118.00000');
    expect(parsePointValue('31.25000,118.12500')).toEqual({ lat: 31.25, lon: 118.125 });
    for (const bad of ['', '91,0', '0,181', 'x,y', "1,2' OR 1", '1,2,3']) expect(parsePointValue(bad)).toBeNull();
  });
});
