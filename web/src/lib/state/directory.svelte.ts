import type { PostInfo, UnitInfo } from '@muster/protocol';
import { loadDirectory, saveDirectory } from '../db/session.ts';
import { api } from '../sync/api.ts';

/** The cached directory (units, posts): starting a group and choosing posts work offline. */
export class Directory {
  units = $state.raw<UnitInfo[]>([]);
  posts = $state.raw<PostInfo[]>([]);
  fetchedAt = $state<number | null>(null);

  unitsById = $derived(new Map(this.units.map((u) => [u.id, u])));
  postsById = $derived(new Map(this.posts.map((p) => [p.id, p])));

  async init(): Promise<void> {
    const row = await loadDirectory();
    if (row) this.apply(row.units, row.posts, row.fetchedAt);
  }

  async refresh(token: string): Promise<void> {
    const res = await api.directory(token);
    const row = await saveDirectory({ units: res.units, posts: res.posts, fetchedAt: Date.now() });
    this.apply(row.units, row.posts, row.fetchedAt);
  }

  private apply(units: UnitInfo[], posts: PostInfo[], fetchedAt: number): void {
    this.units = units;
    this.posts = posts;
    this.fetchedAt = fetchedAt;
  }
}
