/**
 * STATS-6: who may read the statistics of which units, on the policy's definitions (policy.ts, POL-1): a leader of a
 * unit (`isLeaderOf`: their own unit, or the unit of a post they staff, oversees it) reads its statistics; city
 * leaders (a leader at a city bureau) and auditors read every unit; nobody else reads statistics.
 * Kept beside the policy module as one small function so the policy can fold it in as an act of its own.
 */
import type { Directory } from './directory.ts';
import { isLeaderOf } from './policy.ts';
import type { ActingPerson } from './policy.ts';

export type StatsScope = { all: true } | { all: false; unitIds: string[] };

export type StatsReader = ActingPerson;

/** The units a person may read statistics of; `{ all: false, unitIds: [] }` means none. */
export function statsScope(directory: Directory, reader: StatsReader): StatsScope {
  if (reader.roles.includes('auditor')) return { all: true };
  if (!reader.roles.includes('leader')) return { all: false, unitIds: [] };
  const person = directory.person(reader.personId);
  const own = [reader.unitId, ...(person?.postIds ?? []).map((p) => directory.post(p)?.unitId ?? '')];
  if (own.some((u) => directory.unit(u)?.kind === 'city-bureau')) return { all: true };
  const unitIds = directory.data.units.filter((u) => isLeaderOf(directory, reader, u.id)).map((u) => u.id);
  return { all: false, unitIds: unitIds.sort() };
}

/** STATS-6: whether the scope covers a unit. */
export function mayReadUnitStats(scope: StatsScope, unitId: string): boolean {
  return scope.all || scope.unitIds.includes(unitId);
}
