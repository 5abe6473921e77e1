import { liveQuery } from 'dexie';
import { db } from '../db/db.ts';
import { compareRows } from '../db/groupIndex.ts';
import type { GroupIndexFields } from '../db/schema.ts';

/** The group list, live from the Dexie index (never loads documents). */
export class GroupList {
  rows = $state.raw<GroupIndexFields[]>([]);
  loaded = $state(false);
  private sub: { unsubscribe(): void } | null = null;

  start(): void {
    if (this.sub) return;
    this.sub = liveQuery(() => db.groups.toArray()).subscribe({
      next: (rows) => {
        // rows without a group record yet (known by id only, not started anywhere) stay hidden
        this.rows = rows.filter((r) => r.title !== '' || r.entryCount > 0).sort(compareRows);
        this.loaded = true;
      },
      error: (e: unknown) => console.warn('muster: group list query failed', e),
    });
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }
}
