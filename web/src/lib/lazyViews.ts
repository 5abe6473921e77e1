/**
 * BUDGET-1: the pages the first screen (login, group list, inbox, board) does not show load when first opened, so
 * the initial JavaScript stays under its budget (tests/static/js-budget.test.ts). Each loader keeps its promise:
 * a page opened again renders from the module already loaded. A failed load (an update replaced the files while
 * offline, or the network went before the service worker had cached them) is forgotten, so the next visit or the
 * page's retry tries again.
 *
 * BUDGET-2: the pages an officer needs without a network (a group, a new group, the record, settings) are loaded
 * once the first screen has painted and the browser is idle, so a session that loses the network right after login
 * still opens them, whether or not the service worker has cached them yet.
 */
type Loader<T> = () => Promise<T>;

function once<T>(load: Loader<T>): Loader<T> {
  let p: Promise<T> | null = null;
  return () => {
    p ??= load().catch((e: unknown) => {
      p = null;
      throw e;
    });
    return p;
  };
}

export const views = {
  group: once(() => import('../views/GroupPage.svelte')),
  record: once(() => import('../views/RecordPage.svelte')),
  newGroup: once(() => import('../views/NewGroupView.svelte')),
  settings: once(() => import('../views/SettingsView.svelte')),
  audit: once(() => import('../views/AuditView.svelte')),
  /** REVIEW-1 */
  review: once(() => import('../views/ReviewPage.svelte')),
  /** STATS-9: with its chart library. */
  stats: once(() => import('../views/StatsView.svelte')),
};

/** BUDGET-2: the pages needed offline, loaded in idle time after the first screen. */
export function warmOfflineViews(
  schedule: (run: () => void) => void = (run) =>
    'requestIdleCallback' in globalThis ? requestIdleCallback(() => run(), { timeout: 3000 }) : setTimeout(run, 1000),
): void {
  for (const load of [views.group, views.newGroup, views.record, views.settings]) {
    schedule(() => void load().catch(() => {}));
  }
}
