import { describe, expect, it } from 'vitest';
import { clueRecipientIds } from './policy.ts';
import { unitClueRecipients } from './clues.ts';
import { demoDirectory } from './demoFixture.ts';
import { distinctUnitNames } from './unitNames.ts';

describe('clues to any unit, outside units included', () => {
  const dir = demoDirectory();

  it('CLUE-2: a unit with patrol officers gets them, not its desk', () => {
    expect(
      unitClueRecipients(dir, ['br-e-patrol'])
        .map((p) => p.id)
        .sort(),
    ).toEqual(['demo011', 'demo014']);
  });

  it('CLUE-2: a unit with none (story 3: the airport police) gets whoever is on duty at its posts', () => {
    expect(unitClueRecipients(dir, ['out-airport']).map((p) => p.id)).toEqual(['demo047']);
    expect(clueRecipientIds(dir, ['out-airport', 'br-e-patrol', 'out-airport']).sort()).toEqual([
      'demo011',
      'demo014',
      'demo047',
    ]);
  });

  it('CLUE-4: shared unit names are prefixed with their sub-bureau; unique ones stay', () => {
    const zh = distinctUnitNames(dir, 'zh');
    expect(zh.get('br-e-patrol')).toBe('东城分局 巡特警大队');
    expect(zh.get('br-w-patrol')).toBe('西城分局 巡特警大队');
    expect(zh.get('out-airport')).toBe('机场公安局');
    expect(zh.get('st-e1')).toBe('东湖派出所');
    const names = [...zh.values()];
    expect(new Set(names).size).toBe(names.length);
    const en = distinctUnitNames(dir, 'en');
    expect(new Set(en.values()).size).toBe(en.size);
    expect(en.get('br-e-patrol')).toBe('Dongcheng Patrol and SWAT Brigade');
  });
});
