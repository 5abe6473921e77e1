/** STATS-9: names the statistics page shows for ids (units, posts, incident types) in the interface's language. */
import { app } from './state/app.svelte.ts';
import type { StatsScopeWire } from '@muster/protocol';
import { incidentTypeLabel } from './i18n/dataNames.ts';

const en = (): boolean => app.i18n.locale === 'en';

export function unitName(id: string): string {
  const u = app.directory.unitsById.get(id);
  return u ? (en() ? u.nameEn || u.name : u.name) : id;
}

export function postName(id: string): string {
  const p = app.directory.postsById.get(id);
  return p ? (en() ? p.nameEn || p.name : p.name) : id;
}

export function typeName(type: string | null): string {
  return type === null
    ? app.i18n.t('stats.type.task')
    : incidentTypeLabel(type, app.directory.templates, app.i18n.locale);
}

/**
 * STATS-6: the units the unit filter offers: bureaus, sub-bureaus and stations within the reader's scope (none
 * until the server has said what it is).
 */
export function filterUnits(scope: StatsScopeWire | null) {
  if (scope === null) return [];
  const kinds = new Set(['city-bureau', 'sub-bureau', 'station']);
  const mine = scope.all ? null : new Set(scope.unitIds);
  return app.directory.units.filter((u) => kinds.has(u.kind) && (mine === null || mine.has(u.id)));
}
