import { liveQuery } from 'dexie';
import { db } from '../db/db.ts';
import { visibleRows } from '../db/groupIndex.ts';
import type { GroupIndexFields } from '../db/schema.ts';

/**
 * The group list, live from the Dexie index (never loads documents). On a shared device it shows only the rows
 * held for the logged-in person; rows without a group record yet (known by id only) stay hidden.
 */
export class GroupList {
  private all = $state.raw<GroupIndexFields[]>([]);
  rows = $derived.by<GroupIndexFields[]>(() => visibleRows(this.all, this.personId()));
  loaded = $state(false);
  /** HIST-3: the server's list has been merged at least once this session (the board then trusts the index). */
  serverSynced = $state(false);
  /** Settles once the first index query has answered (or failed): the cold start waits on it for non-list work. */
  readonly firstLoad: Promise<void>;
  private settleFirst: () => void = () => {};
  private sub: { unsubscribe(): void } | null = null;

  constructor(
    private readonly personId: () => string | null,
    /** Every answer of the index query (all rows): SYNC-8 passes other tabs' acknowledgements to open groups. */
    private readonly onRows: (rows: readonly GroupIndexFields[]) => void = () => {},
  ) {
    this.firstLoad = new Promise((resolve) => (this.settleFirst = resolve));
  }

  start(): void {
    if (this.sub) return;
    this.sub = liveQuery(() => db.groups.toArray()).subscribe({
      next: (rows) => {
        this.all = rows;
        this.loaded = true;
        this.onRows(rows);
        this.settleFirst();
      },
      error: (e: unknown) => {
        console.warn('muster: group list query failed', e);
        this.settleFirst();
      },
    });
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }
}
