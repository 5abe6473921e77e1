/**
 * The desk board's state: loads the documents of groups with invitations to my posts (hold reason `inbox`), derives
 * the board from every loaded group and my inbox, and signs from the board.
 */
import { untrack } from 'svelte';
import { invitationViews, isClosed, readMeta, signOff } from '@muster/core';
import { SvelteSet } from 'svelte/reactivity';
import {
  boardItems,
  groupsToLoad,
  settledKeys,
  type BoardItem,
  type IndexedGroup,
  type LoadedGroup,
} from '../board.ts';
import type { GroupIndexFields } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { refusal } from './groupCommands.ts';
import type { Clock } from './clock.svelte.ts';
import type { Connections, GroupHandle } from './connections.svelte.ts';
import { waitForDoc } from './waitForDoc.ts';
import type { Directory } from './directory.svelte.ts';
import type { Duty } from './duty.svelte.ts';
import type { Inbox } from './inbox.svelte.ts';
import type { Session } from './session.svelte.ts';
import { attestation } from '../sync/attestation.ts';

export interface BoardDeps {
  connections: Connections;
  inbox: Inbox;
  duty: Duty;
  directory: Directory;
  session: Session;
  clock: Clock;
  /** HIST-3: the group list index rows (the server's list status of each group) and whether it synced this session. */
  index: () => readonly GroupIndexFields[];
  indexSynced: () => boolean;
}

const WAIT_MS = 15_000;

export class Board {
  private held = new Set<string>();
  /** Invitations seen signed or closed in this session (their groups need not stay loaded). */
  private settled = new SvelteSet<string>();
  private stopEffect: (() => void) | null = null;

  constructor(private readonly deps: BoardDeps) {}

  /** Every loaded group, with its invitations at the ticking server time. */
  groups = $derived.by<LoadedGroup[]>(() => {
    const now = this.deps.clock.serverNow;
    return [...this.deps.connections.handles.values()].flatMap((h) => {
      void h.version;
      const meta = readMeta(h.doc);
      if (!meta) return [];
      const facts = {
        incidentNo: meta.incident?.number || null,
        address: meta.incident?.address || null,
        initiator: meta.initiator.name,
        unitId: meta.unitId,
      };
      return [
        { id: h.id, title: meta.title, closed: isClosed(h.doc), invitations: invitationViews(h.doc, now), facts },
      ];
    });
  });

  /** HIST-3: what the list index says of each group's invitations. */
  indexed = $derived.by<IndexedGroup[]>(() =>
    this.deps.index().map((r) => ({
      id: r.id,
      title: r.title,
      closedAt: r.status?.closedAt ?? null,
      ...(r.status?.open ? { open: r.status.open } : {}),
    })),
  );

  /**
   * Whether the board runs (from the start of sync, after the list's first frame): before that it lists nothing,
   * so the cold start does not judge every index row for the top bar's count ahead of the list (HIST-4's budget).
   */
  private running = $state(false);

  items = $derived.by<BoardItem[]>(() => {
    if (!this.running) return [];
    const dir = this.deps.directory.core;
    return boardItems({
      myPostIds: this.deps.duty.onDutyPostIds,
      groups: this.groups,
      index: this.indexed,
      inbox: this.deps.inbox.entries,
      post: (id) => {
        const p = dir.post(id);
        return p ? { kind: p.kind, name: p.name, unitName: dir.unit(p.unitId)?.name ?? '' } : null;
      },
      now: this.deps.clock.serverNow,
      settled: this.settled,
    });
  });

  overdueCount = $derived(this.items.filter((i) => i.urgency === 'overdue').length);

  /** While the app runs with a login: keep the documents of groups awaiting my sign-off loaded and synced. */
  start(): void {
    if (this.stopEffect) return;
    this.running = true;
    this.stopEffect = $effect.root(() => {
      $effect(() => {
        const keys = settledKeys(this.groups);
        untrack(() => keys.forEach((k) => this.settled.add(k)));
      });
      $effect(() => {
        const want = new Set(
          groupsToLoad(
            this.deps.inbox.entries,
            this.deps.duty.onDutyPostIds,
            this.settled,
            this.indexed,
            this.deps.indexSynced(),
          ),
        );
        for (const id of want) {
          if (this.held.has(id)) continue;
          this.held.add(id);
          void this.deps.connections.acquire(id, 'inbox').catch((e: unknown) => console.warn(e));
        }
        for (const id of [...this.held]) {
          if (want.has(id)) continue;
          this.held.delete(id);
          this.deps.connections.release(id, 'inbox');
        }
      });
    });
  }

  stop(): void {
    this.running = false;
    this.stopEffect?.();
    this.stopEffect = null;
    for (const id of this.held) this.deps.connections.release(id, 'inbox');
    this.held.clear();
  }

  /** Signs an invitation for its post; waits for the group to arrive when only the inbox knew of it. */
  async sign(item: BoardItem): Promise<{ ok: true } | { ok: false; code: string }> {
    const actor = this.deps.session.actor;
    if (!actor) return { ok: false, code: 'not-logged-in' };
    const h = await this.deps.connections.acquire(item.groupId, 'view');
    try {
      const found = await waitForDoc(h, WAIT_MS, () =>
        invitationViews(h.doc, this.deps.clock.serverNow, this.deps.directory.deadlines).some(
          (v) => v.invitation.id === item.invitationId,
        ),
      );
      if (!found) return { ok: false, code: 'no-invitation' };
      signOff(h.doc, {
        id: newId(),
        invitationId: item.invitationId,
        by: actor,
        deviceTime: Date.now(),
        attested: attestation.now(),
      });
      return { ok: true };
    } catch (e) {
      return refusal(e);
    } finally {
      this.deps.connections.release(item.groupId, 'view');
    }
  }
}
