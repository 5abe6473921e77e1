/**
 * BUDGET-1: the pages the first screen (login, group list, inbox, board) does not show load when first opened, so
 * the initial JavaScript stays under its budget (tests/static/js-budget.test.ts). Each loader keeps its promise:
 * a page opened again renders from the module already loaded. A failed load (an update replaced the files while
 * offline) is forgotten, so the next visit tries again.
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
