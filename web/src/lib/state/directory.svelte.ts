import {
  DEFAULT_APPROVAL_TYPES,
  Directory as CoreDirectory,
  deadlinePolicyFromTemplates,
  parseApprovalTypes,
  parseTemplates,
} from '@muster/core';
import type { ApprovalType, DirectoryData, GroupTemplate } from '@muster/core';
import type { PostInfo, UnitInfo } from '@muster/protocol';
import { db } from '../db/db.ts';
import { loadDirectory, saveDirectory } from '../db/session.ts';
import { toDirectoryData, withDuty } from '../directoryData.ts';
import { HttpError, api } from '../sync/api.ts';

const EMPTY: DirectoryData = { units: [], posts: [], persons: [], onDuty: [] };

/**
 * The cached directory (units, posts, persons, who is on duty) and the group templates: starting a group from a
 * template and choosing posts work offline.
 */
export class Directory {
  data = $state.raw<DirectoryData>(EMPTY);
  templates = $state.raw<GroupTemplate[]>([]);
  fetchedAt = $state<number | null>(null);
  /** The server has no templates endpoint (yet) or sent none. */
  templatesMissing = $state(false);
  /** APR-1: approval types from the server (cached); empty until fetched. */
  approvalTypes = $state.raw<ApprovalType[]>([]);
  /** The approval types the form offers: the server's, or the defaults when none are cached. */
  approvalTypeList = $derived<readonly ApprovalType[]>(
    this.approvalTypes.length ? this.approvalTypes : DEFAULT_APPROVAL_TYPES,
  );

  units = $derived<UnitInfo[]>(this.data.units);
  posts = $derived<PostInfo[]>(this.data.posts);
  unitsById = $derived(new Map(this.data.units.map((u) => [u.id, u])));
  postsById = $derived(new Map(this.data.posts.map((p) => [p.id, p])));
  /** Core's directory over the cached data (search, template expansion, who may act). */
  core = $derived(new CoreDirectory(this.data));
  /** POL-15: the server's deadline policy, as the cached templates configure it. */
  deadlines = $derived(deadlinePolicyFromTemplates(this.templates, this.core));

  async init(): Promise<void> {
    const row = await loadDirectory();
    if (row) this.apply(toDirectoryData(row), row.fetchedAt);
    const cached = await db.cache.get('templates');
    if (cached?.templates) this.templates = cached.templates;
    const types = await db.cache.get('approval-types');
    if (types?.types) this.approvalTypes = types.types;
  }

  /** Fetches the directory, templates and approval types; rejects (after trying all three) when any failed. */
  async refresh(token: string): Promise<void> {
    const results = await Promise.allSettled([
      this.refreshDirectory(token),
      this.refreshTemplates(token),
      this.refreshApprovalTypes(token),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Records my duty posts locally (after `/api/me` or a duty change), so the board and permissions follow. */
  setMyDuty(personId: string, postIds: readonly string[], now: number): void {
    this.data = withDuty(this.data, personId, postIds, now);
  }

  private async refreshDirectory(token: string): Promise<void> {
    const res = await api.directory(token);
    const row = await saveDirectory({
      units: res.units,
      posts: res.posts,
      ...(Array.isArray(res.persons) ? { persons: res.persons } : {}),
      ...(Array.isArray(res.onDuty) ? { onDuty: res.onDuty } : {}),
      fetchedAt: Date.now(),
    });
    this.apply(toDirectoryData(row), row.fetchedAt);
  }

  private async refreshTemplates(token: string): Promise<void> {
    try {
      const parsed = parseTemplates(await api.templates(token));
      if (!parsed.ok) {
        console.warn('muster: templates from the server are not valid', parsed.errors);
        return;
      }
      this.templates = parsed.templates;
      this.templatesMissing = parsed.templates.length === 0;
      await db.cache.put({ key: 'templates', templates: parsed.templates, fetchedAt: Date.now() });
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) this.templatesMissing = this.templates.length === 0;
      else throw e;
    }
  }

  private async refreshApprovalTypes(token: string): Promise<void> {
    try {
      const parsed = parseApprovalTypes(await api.approvalTypes(token));
      if (!parsed.ok) {
        console.warn('muster: approval types from the server are not valid', parsed.errors);
        return;
      }
      this.approvalTypes = parsed.types;
      await db.cache.put({ key: 'approval-types', types: parsed.types, fetchedAt: Date.now() });
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 404)) throw e;
    }
  }

  private apply(data: DirectoryData, fetchedAt: number): void {
    this.data = data;
    this.fetchedAt = fetchedAt;
  }
}
