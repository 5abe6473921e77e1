/**
 * The directory in memory as core's `Directory` (what the workflow asks: who is on duty where, escalation posts,
 * clue recipients), loaded from the store and reloaded after every change the server makes (duty changes).
 * `npm run directory:import` writes the store of a stopped server; a running one picks it up on restart.
 */
import { Directory } from '@muster/core';
import type { DirectoryData, Post, Role, Unit } from '@muster/core';
import type { Store } from '../store/store.ts';

export class DirectoryService {
  readonly #store: Store;
  #current: Directory = new Directory({ units: [], posts: [], persons: [], onDuty: [] });
  #listeners = new Set<() => void>();

  constructor(store: Store) {
    this.#store = store;
  }

  get current(): Directory {
    return this.#current;
  }

  /** Runs `fn` after every reload (the workflow re-delivers inbox items to persons now on duty). */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  async reload(): Promise<Directory> {
    const [d, persons] = await Promise.all([this.#store.getDirectory(), this.#store.listPersons()]);
    const data: DirectoryData = {
      units: d.units as Unit[],
      posts: d.posts.map((p) => ({ ...p, capabilities: p.capabilities ?? [] })) as Post[],
      persons: persons.map((p) => ({
        id: p.id,
        name: p.name,
        policeNo: p.policeNo,
        unitId: p.unitId,
        roles: p.roles as Role[],
        postIds: p.postIds,
      })),
      onDuty: d.onDuty,
    };
    this.#current = new Directory(data);
    for (const fn of this.#listeners) fn();
    return this.#current;
  }
}
