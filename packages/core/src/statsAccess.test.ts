import { describe, expect, it } from 'vitest';
import { demoDirectory } from './demoFixture.ts';
import { mayReadUnitStats, statsScope } from './statsAccess.ts';

describe('statistics access', () => {
  const dir = demoDirectory();
  const reader = (id: string) => {
    const p = dir.person(id)!;
    return { personId: p.id, unitId: p.unitId, roles: p.roles };
  };

  it('STATS-6: a sub-bureau leader reads the sub-bureau and the units below it, not the other sub-bureau', () => {
    const s = statsScope(dir, reader('demo007'));
    expect(mayReadUnitStats(s, 'sb-e')).toBe(true);
    expect(mayReadUnitStats(s, 'ks-e1')).toBe(true);
    expect(mayReadUnitStats(s, 'sb-w')).toBe(false);
    expect(mayReadUnitStats(s, 'city')).toBe(false);
  });

  it('STATS-6: city leaders and auditors read all; frontline officers and desks nothing', () => {
    expect(statsScope(dir, reader('demo001'))).toEqual({ all: true });
    expect(statsScope(dir, reader('demo004'))).toEqual({ all: true });
    expect(statsScope(dir, reader('demo015'))).toEqual({ all: false, unitIds: [] });
    expect(statsScope(dir, reader('demo005'))).toEqual({ all: false, unitIds: [] });
  });
});
