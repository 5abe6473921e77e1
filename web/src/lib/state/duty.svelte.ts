/** Going on and off duty at my posts (POST /api/duty); the board and permissions follow my duty posts. */
import type { Post } from '@muster/core';
import { api } from '../sync/api.ts';
import { serverClock } from '../sync/serverClock.ts';
import type { Directory } from './directory.svelte.ts';
import type { Session } from './session.svelte.ts';

export interface DutyPost {
  post: Post;
  unitName: string;
  unitNameEn: string;
  onDuty: boolean;
}

export class Duty {
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(
    private readonly session: Session,
    private readonly directory: Directory,
  ) {}

  /** Posts I am on duty at (the server's word from login or `/api/me`, updated after a change here). */
  onDutyPostIds = $derived.by<string[]>(() => this.session.person?.postIds ?? []);

  /** Posts I may staff (from the directory when it lists persons), plus any I am on duty at. */
  posts = $derived.by<DutyPost[]>(() => {
    const person = this.session.person;
    if (!person) return [];
    const dir = this.directory.core;
    const held = (person as { heldPostIds?: unknown }).heldPostIds;
    const staffable = dir.person(person.id)?.postIds ?? (Array.isArray(held) ? held.map(String) : []);
    const ids = [...new Set([...staffable, ...this.onDutyPostIds])];
    return ids.flatMap((id) => {
      const post = dir.post(id);
      if (!post) return [];
      const unit = dir.unit(post.unitId);
      return [
        {
          post,
          unitName: unit?.name ?? post.unitId,
          unitNameEn: unit?.nameEn ?? post.unitId,
          onDuty: this.onDutyPostIds.includes(id),
        },
      ];
    });
  });

  async set(postId: string, on: boolean): Promise<boolean> {
    const token = this.session.token;
    const person = this.session.person;
    if (!token || !person || this.busy) return false;
    this.busy = postId;
    this.error = null;
    try {
      await api.duty(token, postId, on);
      const ids = on ? [...new Set([...person.postIds, postId])] : person.postIds.filter((id) => id !== postId);
      await this.session.setDutyPosts(ids);
      this.directory.setMyDuty(person.id, ids, serverClock.now());
      void this.session.refreshMe().then(() => {
        const p = this.session.person;
        if (p) this.directory.setMyDuty(p.id, p.postIds, serverClock.now());
      });
      return true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    } finally {
      this.busy = null;
    }
  }
}
