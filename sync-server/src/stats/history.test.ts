import { describe, expect, it } from 'vitest';
import { readDirectoryFile } from '../directory/demoDirectory.ts';
import { loadTemplates } from '../directory/templates.ts';
import { Directory } from '@muster/core';
import { generateHistory } from './history.ts';

describe('demo history', () => {
  it('STATS-8: a seeded history at the report ratios: ~3 persons a group, few late sign-offs, ~99.6% timely', () => {
    const dir = new Directory(readDirectoryFile());
    const end = 1_900_000_000_000;
    const rows = [...generateHistory(dir, loadTemplates(dir), { groups: 4000, days: 30, end, seed: 3 }).groups];
    expect(rows).toHaveLength(4000);
    expect(new Set(rows.map((r) => r.facts.groupId)).size).toBe(4000);
    const persons = rows.reduce((s, r) => s + r.facts.participants.length, 0) / rows.length;
    expect(persons).toBeGreaterThan(2.8);
    expect(persons).toBeLessThan(3.5);
    const inv = rows.flatMap((r) => r.facts.invitations);
    const late = inv.filter((i) => i.verdict === 'late').length / inv.length;
    expect(late).toBeGreaterThan(0.001);
    expect(late).toBeLessThan(0.03);
    const closed = rows.filter((r) => r.facts.closedAt !== null);
    expect(closed.filter((r) => r.facts.timely).length / closed.length).toBeGreaterThan(0.99);
    expect(rows.every((r) => r.facts.startedAt! >= end - 30 * 86_400_000 && r.facts.startedAt! < end)).toBe(true);
    // Same seed, same history.
    const again = generateHistory(dir, loadTemplates(dir), { groups: 10, days: 30, end, seed: 3 }).groups.next();
    expect(again.value!.facts).toEqual(rows[0]!.facts);
  });
});
