/** One open group on screen: its derived views and the commands an officer runs in it. */
import {
  CommandError,
  addFinding,
  groupFactsOf,
  groupRecord,
  mayAssignTask,
  mayCompleteTask,
  mayWaiveTask,
  invitationViews,
  invitePost,
  mayAcknowledge,
  readMeta,
  remindersOf,
  readSeal,
  holdHistory,
  signOff,
  withdrawnEscalations,
  timeline,
  readLessons,
} from '@muster/core';
import type {
  Addressee,
  Awaited,
  GeoPoint,
  GroupMeta,
  GroupRecord,
  InvitationView,
  PhotoRef,
  PostRef,
  SealRecord,
  TaskEntry,
  TimelineItem,
} from '@muster/core';
import type { PostInfo } from '@muster/protocol';
import { patchRow } from '../db/groups.ts';
import { NO_PERMISSIONS, groupPermissions, type GroupPermissions } from '../groupPermissions.ts';
import { newId } from '../ids.ts';
import { postLabel, type PostLabelRef } from '../i18n/dataNames.ts';
import { liveSyncState, type GroupSyncState } from '../sync/syncStatus.ts';
import type { Clock } from './clock.svelte.ts';
import { GroupCommands, type CommandResult } from './groupCommands.ts';
import type { Connections, GroupHandle } from './connections.svelte.ts';
import type { Connectivity } from './connectivity.svelte.ts';
import type { Directory } from './directory.svelte.ts';
import type { Session } from './session.svelte.ts';
import { attestation } from '../sync/attestation.ts';

export interface GroupViewDeps {
  connections: Connections;
  connectivity: Connectivity;
  session: Session;
  directory: Directory;
  clock: Clock;
  locale: () => string;
}

export type { CommandResult } from './groupCommands.ts';

function fail(e: unknown): CommandResult {
  if (e instanceof CommandError) return { ok: false, code: e.code, message: e.message };
  return { ok: false, code: 'generic', message: e instanceof Error ? e.message : String(e) };
}

export class GroupView {
  handle = $state.raw<GroupHandle | null>(null);
  error = $state<string | null>(null);
  private closed = false;

  meta = $derived.by<GroupMeta | null>(() => {
    const h = this.handle;
    if (!h) return null;
    void h.version;
    return readMeta(h.doc);
  });

  timeline = $derived.by<TimelineItem[]>(() => {
    const h = this.handle;
    if (!h) return [];
    void h.version;
    return timeline(h.doc);
  });

  invitations = $derived.by<InvitationView[]>(() => {
    const h = this.handle;
    if (!h) return [];
    void h.version;
    return invitationViews(h.doc, this.deps.clock.serverNow, this.deps.directory.deadlines);
  });

  /** REC-1: everything about the group at the ticking server time (instructions, clues, tasks, closure…). */
  record = $derived.by<GroupRecord | null>(() => {
    const h = this.handle;
    if (!h) return null;
    void h.version;
    return groupRecord(h.doc, this.deps.clock.serverNow, this.deps.directory.core);
  });

  /** LATE-3: the seal the relay wrote on the closed group's record, or null. */
  seal = $derived.by<SealRecord | null>(() => {
    const h = this.handle;
    if (!h) return null;
    void h.version;
    return readSeal(h.doc);
  });

  /** KEEP-2: the legal holds the relay recorded, placed or lifted, oldest first (the last decides). */
  holds = $derived.by(() => {
    const h = this.handle;
    if (!h) return [];
    void h.version;
    return holdHistory(h.doc);
  });

  /** REVIEW-3: the lessons of the review, with the refusal code of any the relay refused on this device. */
  lessons = $derived.by(() => {
    const h = this.handle;
    if (!h) return [];
    void h.version;
    const refused = h.snapshot.refusedCodes;
    return readLessons(h.doc).map((l) => ({ ...l, refused: refused?.get(`lessons/${l.id}`) ?? null }));
  });

  /** CLOSE-5: closed groups are read-only. */
  readOnly = $derived(this.record?.readOnly ?? false);

  /** ATT-3: escalations withdrawn by a sign-off made in time offline, by invitation id. */
  withdrawn = $derived.by<ReadonlySet<string>>(() => {
    const h = this.handle;
    if (!h) return new Set();
    void h.version;
    return new Set(withdrawnEscalations(h.doc, this.deps.directory.deadlines).keys());
  });

  /** LATE-1/REQ-2: entries the relay refused on this device, by id, with the refusal code. */
  refusedEntries = $derived.by<ReadonlyMap<string, string>>(() => {
    const out = new Map<string, string>();
    for (const [k, code] of this.handle?.snapshot.refusedCodes ?? []) {
      if (k.startsWith('entries/')) out.set(k.slice('entries/'.length), code);
    }
    return out;
  });

  /** Entries the server received after the closure (LATE-1). */
  lateIds = $derived(new Set((this.record?.timeline ?? []).filter((e) => e.afterClosure).map((e) => e.id)));

  permissions = $derived.by<GroupPermissions>(() => {
    const h = this.handle;
    const person = this.deps.session.person;
    if (!h || !person) return NO_PERMISSIONS;
    void h.version;
    const who = { personId: person.id, unitId: person.unitId, roles: person.roles };
    return groupPermissions(h.doc, this.deps.directory.core, who);
  });

  sync = $derived.by<GroupSyncState | null>(() => {
    const s = this.handle?.snapshot;
    if (!s) return null;
    return liveSyncState(s.pending, s.ackedAt, s, this.deps.connectivity.link);
  });

  /** Posts not yet invited, for the invite picker. */
  invitablePosts = $derived.by<PostInfo[]>(() => {
    const invited = new Set(this.invitations.map((v) => v.invitation.post.id));
    return this.deps.directory.posts.filter((p) => !invited.has(p.id));
  });

  readonly commands = new GroupCommands(this);

  constructor(
    readonly id: string,
    private readonly deps: GroupViewDeps,
  ) {}

  async open(): Promise<void> {
    try {
      const h = await this.deps.connections.acquire(this.id, 'view');
      if (this.closed) {
        this.deps.connections.release(this.id, 'view');
        return;
      }
      this.handle = h;
      void patchRow(this.id, { lastOpenedAt: Date.now() });
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  close(): void {
    this.closed = true;
    if (this.handle) this.deps.connections.release(this.id, 'view');
    this.handle = null;
  }

  /** POL-9: which outcomes of a task the logged-in person may record (the policy's answer). */
  taskActs(task: TaskEntry): { complete: boolean; waive: boolean } {
    const h = this.handle;
    const person = this.deps.session.person;
    if (!h || !person || this.readOnly) return { complete: false, waive: false };
    void h.version;
    const who = { personId: person.id, unitId: person.unitId, roles: person.roles };
    const g = groupFactsOf(h.doc);
    const dir = this.deps.directory.core;
    return { complete: mayCompleteTask(dir, who, g, task).ok, waive: mayWaiveTask(dir, who, g, task).ok };
  }

  /** POL-9: whether the logged-in person may assign a task to `assignee` (the policy's answer). */
  mayAssign(assignee: Addressee): boolean {
    const h = this.handle;
    const person = this.deps.session.person;
    if (!h || !person || this.readOnly) return false;
    void h.version;
    const who = { personId: person.id, unitId: person.unitId, roles: person.roles };
    return mayAssignTask(this.deps.directory.core, who, groupFactsOf(h.doc), assignee).ok;
  }

  /** POL-20: whether I may re-notify (催办) a clue or invitation whose author is `authorId` (the policy's answer). */
  canRemind(authorId: string): boolean {
    return !this.readOnly && (this.permissions.remindAny || authorId === this.deps.session.person?.id);
  }

  /** REMIND-3: server time of the latest 催办 of a clue or invitation (stamped), or null. */
  lastReminded(refId: string): number | null {
    const h = this.handle;
    if (!h) return null;
    void h.version;
    const stamps = remindersOf(h.doc, refId)
      .map((r) => r.serverTime)
      .filter((t): t is number => t !== null);
    return stamps.length ? Math.max(...stamps) : null;
  }

  /** POL-5: whether the logged-in person may sign for the invited post now (the policy's answer). */
  canSign(view: InvitationView): boolean {
    return !this.readOnly && view.signOff === null && this.permissions.signPostIds.includes(view.invitation.post.id);
  }

  /**
   * INS-2: whether an instruction is addressed to me (as a person, or at a post), and for which post; POL-7: for a
   * post only while I am on duty there (the policy's `mayAcknowledge`), so holding the post off duty offers no ack.
   */
  addressedToMe(to: readonly Addressee[]): { yes: boolean; postId: string | null } {
    const person = this.deps.session.person;
    if (!person) return { yes: false, postId: null };
    if (to.some((a) => a.kind === 'person' && a.id === person.id)) return { yes: true, postId: null };
    const who = { personId: person.id, unitId: person.unitId, roles: person.roles };
    const dir = this.deps.directory.core;
    const post = to.find((a) => a.kind === 'post' && mayAcknowledge(dir, who, a.id).ok);
    return post ? { yes: true, postId: post.id } : { yes: false, postId: null };
  }

  /** Whom an act waits on, named in the interface language ("杨演示16、东城分局协同管理岗"). */
  awaitedNames(a: Awaited): string {
    const dir = this.deps.directory.core;
    const en = this.deps.locale() === 'en';
    const meta = this.meta;
    const persons = a.personIds.map((id) =>
      meta?.initiator.personId === id ? meta.initiator.name : (dir.person(id)?.name ?? id),
    );
    const posts = a.postIds.map((id) => this.postName(id, id));
    return [...persons, ...posts].join(en ? ', ' : '、');
  }

  /** The post name in the interface language (directory), else the record's name. */
  postName(postId: string, fallback: string): string {
    const p = this.deps.directory.core.post(postId);
    return p ? (this.deps.locale() === 'en' ? p.nameEn : p.name) : fallback;
  }

  /** "Unit · post" in the interface language, the unit said once (UX-15). */
  postLabel(ref: PostLabelRef): string {
    return postLabel(this.deps.directory.core, this.deps.locale(), ref);
  }

  /** TL-2; PHOTO-1 and LOC-1: optional photo references (bytes kept on the device first) and position. */
  addFinding(text: string, extra: { photos?: PhotoRef[]; location?: GeoPoint } = {}): CommandResult {
    return this.run((doc, actor) => {
      addFinding(doc, {
        id: newId(),
        text,
        author: actor,
        deviceTime: Date.now(),
        attested: attestation.now(),
        ...extra,
      });
    });
  }

  signOff(invitationId: string): CommandResult {
    return this.run((doc, actor) => {
      signOff(doc, { id: newId(), invitationId, by: actor, deviceTime: Date.now(), attested: attestation.now() });
    });
  }

  invitePost(postId: string): CommandResult {
    const post = this.deps.directory.postsById.get(postId);
    if (!post) return { ok: false, code: 'bad-post', message: 'unknown post' };
    const ref: PostRef = {
      id: post.id,
      name: post.name,
      unitId: post.unitId,
      unitName: this.deps.directory.unitsById.get(post.unitId)?.name ?? '',
      kind: post.kind,
    };
    return this.run((doc, actor) => {
      invitePost(doc, { id: newId(), post: ref, invitedBy: actor, deviceTime: Date.now() });
    });
  }

  run(fn: (doc: GroupHandle['doc'], actor: { personId: string; name: string }) => void): CommandResult {
    const h = this.handle;
    const actor = this.deps.session.actor;
    if (!h || !actor) return { ok: false, code: 'not-ready', message: 'group not open' };
    try {
      h.doc.transact(() => fn(h.doc, actor));
      return { ok: true };
    } catch (e) {
      return fail(e);
    }
  }
}
