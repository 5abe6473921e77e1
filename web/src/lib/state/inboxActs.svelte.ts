/**
 * UX-2: the one act an inbox item asks for, done from the inbox row (DING-style): an invitation is signed for its
 * post, a clue or an instruction acknowledged. The group's document is loaded for the act (it waits for the group to
 * arrive when only the inbox knew of it) and released after; offline the act is written on the device and syncs
 * later, like any other.
 */
import {
  CommandError,
  Root,
  acknowledge,
  acksByEntry,
  invitationViews,
  isClosed,
  mayAcknowledge,
  rootMap,
  signOff,
} from '@muster/core';
import type { ActingPerson, Directory, InboxItem } from '@muster/core';
import type * as Y from 'yjs';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { actOf } from '../inboxAct.ts';
import type { InboxAct } from '../inboxAct.ts';
import { newId } from '../ids.ts';
import type { Clock } from './clock.svelte.ts';
import type { Connections, GroupHandle } from './connections.svelte.ts';
import { waitForDoc } from './waitForDoc.ts';
import type { Session } from './session.svelte.ts';
import { attestation } from '../sync/attestation.ts';

export interface InboxActsDeps {
  connections: Connections;
  session: Session;
  clock: Clock;
  /** The directory as this device holds it (core `Directory`). */
  directory: { readonly core: Directory };
}

const WAIT_MS = 15_000;

export class InboxActs {
  /** Items acted on in this session (their groups need not stay loaded). */
  readonly done = new SvelteSet<string>();
  readonly busy = new SvelteSet<string>();
  /** The error code of a refused act, per item. */
  readonly errors = new SvelteMap<string, string>();

  constructor(private readonly deps: InboxActsDeps) {}

  /** The act this item's row offers the logged-in person (`actOf`), or null. */
  actFor(item: InboxItem): InboxAct | null {
    const p = this.deps.session.person;
    const me = p ? { personId: p.id, unitId: p.unitId, roles: p.roles } : null;
    return actOf(item, this.deps.directory.core, me);
  }

  /** Whether the act is already done, by me or (for an invitation) by anyone for the post: from a loaded group. */
  isDone(item: InboxItem): boolean {
    if (this.done.has(item.id)) return true;
    const h = this.deps.connections.get(item.groupId);
    if (!h) return false;
    void h.version;
    return this.doneIn(h.doc, item);
  }

  async act(item: InboxItem): Promise<void> {
    const kind = this.actFor(item);
    const actor = this.deps.session.actor;
    const person = this.deps.session.person;
    if (!kind || !actor || !person || this.busy.has(item.id)) return;
    this.busy.add(item.id);
    this.errors.delete(item.id);
    const h = await this.deps.connections.acquire(item.groupId, 'view');
    try {
      const found = await waitForDoc(h, WAIT_MS, () => this.present(h.doc, item));
      if (!found) throw new CommandError(kind === 'sign' ? 'no-invitation' : 'not-ackable', 'not in this group yet');
      if (this.doneIn(h.doc, item)) {
        this.done.add(item.id);
        return;
      }
      const deviceTime = Date.now();
      if (kind === 'sign') {
        signOff(h.doc, { id: newId(), invitationId: item.refId, by: actor, deviceTime, attested: attestation.now() });
      } else {
        const me = { personId: person.id, unitId: person.unitId, roles: person.roles };
        const postId = addressedPost(h.doc, item.refId, this.deps.directory.core, me);
        acknowledge(h.doc, {
          id: newId(),
          entryId: item.refId,
          kind: 'ack',
          by: actor,
          postId,
          deviceTime,
          attested: attestation.now(),
        });
      }
      this.done.add(item.id);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      this.errors.set(item.id, e.code);
    } finally {
      this.busy.delete(item.id);
      this.deps.connections.release(item.groupId, 'view');
    }
  }

  private present(doc: Y.Doc, item: InboxItem): boolean {
    if (isClosed(doc)) return true;
    const map = item.kind === 'invitation' ? Root.invitations : Root.entries;
    return rootMap(doc, map).has(item.refId);
  }

  private doneIn(doc: Y.Doc, item: InboxItem): boolean {
    if (item.kind === 'invitation') {
      const v = invitationViews(doc, this.deps.clock.serverNow).find((x) => x.invitation.id === item.refId);
      return !!v?.signOff;
    }
    const me = this.deps.session.person?.id;
    return (acksByEntry(doc).get(item.refId) ?? []).some((a) => a.record.kind === 'ack' && a.record.by.personId === me);
  }
}

/**
 * The post an instruction was addressed to that I acknowledge for: one I am on duty at now (POL-7 `mayAcknowledge`);
 * null when it named me, for a clue, or when I am on duty at none of its posts (then I acknowledge for myself).
 */
function addressedPost(doc: Y.Doc, entryId: string, dir: Directory, me: ActingPerson): string | null {
  const entry = rootMap(doc, Root.entries).get(entryId) as { to?: { kind?: string; id?: string }[] } | undefined;
  const to = Array.isArray(entry?.to) ? entry.to : [];
  const post = to.find((a) => a?.kind === 'post' && typeof a.id === 'string' && mayAcknowledge(dir, me, a.id).ok);
  return post?.id ?? null;
}
