/**
 * BUDGET-1: the state of pages that load on demand (a group, its record and review; the audit page; statistics),
 * made here rather than in `app`, so it is bundled with those pages and not with the first screen.
 */
import { api } from '../sync/api.ts';
import { serverClock } from '../sync/serverClock.ts';
import { app } from './app.svelte.ts';
import { AuditLog } from './auditLog.svelte.ts';
import { GroupView } from './groupView.svelte.ts';
import { StatsDashboard } from './statsDashboard.svelte.ts';

/** A group's view (its document opens with `open()`). */
export function openGroup(id: string): GroupView {
  return new GroupView(id, {
    connections: app.connections,
    connectivity: app.connectivity,
    session: app.session,
    directory: app.directory,
    clock: app.clock,
    locale: () => app.i18n.locale,
  });
}

let audit: AuditLog | null = null;

/** AUDIT-4: the audit page (auditors); one per app run, so filters and rows survive leaving the page. */
export function auditLog(): AuditLog {
  audit ??= new AuditLog(
    () => (app.session.expired ? null : app.session.token),
    () => app.session.renew(),
  );
  return audit;
}

let stats: StatsDashboard | null = null;

/** STATS-9: the statistics page (leaders and auditors); one per app run. */
export function statsDashboard(): StatsDashboard {
  stats ??= new StatsDashboard(
    (path) => app.authed((token) => api.stats(token, path)),
    () => serverClock.now(),
  );
  return stats;
}
