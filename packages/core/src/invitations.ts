import type * as Y from 'yjs';
import { DEFAULT_DEADLINE_POLICY, incidentTypeOf, signOffMinutes } from './sla.ts';
import type { DeadlinePolicy } from './sla.ts';
import { CommandError } from './errors.ts';
import { compareRecords } from './order.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, Attested, InvitationRecord, PostRef, SignOffRecord } from './schema.ts';
import { deadlineOf, isOnTime } from './sla.ts';
import { judgeAttested } from './attested.ts';
import { stampOf } from './stamps.ts';
import { parseInvitation, parsePostRef, parseSignOff } from './validate.ts';
import { beginWrite, putOnce } from './writeOnce.ts';

export interface InvitePostInput {
  id: string;
  post: PostRef;
  invitedBy: Actor;
  deviceTime: number;
}

/** INV-1: invites a post (not a person); works offline, the deadline starts when the server registers it. */
export function invitePost(doc: Y.Doc, input: InvitePostInput): InvitationRecord {
  beginWrite(doc, input.id, 'invitation');
  if (!parsePostRef(input.post)) throw new CommandError('bad-post', 'post reference is not valid');
  const invitations = rootMap(doc, Root.invitations);
  for (const v of invitations.values()) {
    if (parseInvitation(v)?.post.id === input.post.id) {
      throw new CommandError('already-invited', 'this post is already invited to the group');
    }
  }
  const record: InvitationRecord = {
    id: input.id,
    post: input.post,
    invitedBy: input.invitedBy,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.invitations, record, {
    check: { parse: parseInvitation, invalid: ['bad-invitation', 'invitation is not valid'] },
  });
}

export interface SignOffInput {
  id: string;
  invitationId: string;
  by: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time now, from its anchor (absent when it has none). */
  attested?: Attested | null;
}

/** SIGN-1: a person on duty at an invited post signs for it; works offline, stamped when it reaches the relay. */
export function signOff(doc: Y.Doc, input: SignOffInput): SignOffRecord {
  beginWrite(doc, input.id, 'sign-off');
  const invitation = parseInvitation(rootMap(doc, Root.invitations).get(input.invitationId));
  if (!invitation) throw new CommandError('no-invitation', 'no such invitation in this group');
  const record: SignOffRecord = {
    id: input.id,
    invitationId: invitation.id,
    postId: invitation.post.id,
    by: input.by,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.signoffs, record, { attested: input.attested });
}

export type InvitationStatus =
  | 'pending' // not yet registered by the server: no deadline yet
  | 'waiting' // registered, unsigned, deadline not passed
  | 'overdue' // registered, unsigned, deadline passed
  | 'signed-unconfirmed' // signed on a device, the server has not stamped the sign-off yet
  | 'signed-on-time'
  | 'signed-late';

export interface SignOffView {
  record: SignOffRecord;
  deviceTime: number;
  serverTime: number | null;
  id: string;
  /** ATT-2: the attested time when it is plausible, else null. */
  attestedAt: number | null;
}

export interface InvitationView {
  invitation: InvitationRecord;
  status: InvitationStatus;
  /** Server time of the invitation, null until registered. */
  registeredAt: number | null;
  /** Minutes to sign, from the deadline policy (POL-15). */
  deadlineMinutes: number;
  deadline: number | null;
  /** The sign-off that counts (earliest stamped, else earliest on a device). */
  signOff: SignOffView | null;
  /** Time left until the deadline at `now` (negative when overdue); null when signed or unregistered. */
  remainingMs: number | null;
  /**
   * ATT-3: what the verdict was judged on: `attested` when the sign-off arrived after the deadline and its plausible
   * attested time was within it ("signed offline, attested"), else `stamp`.
   */
  basis: 'stamp' | 'attested';
  /** The time the verdict was judged on (stamp or attested time); null while unsigned or unconfirmed. */
  judgedAt: number | null;
}

/** SLA-4: each invitation's state, given the server stamps in the document and `now` (server time when known). */
export function invitationViews(
  doc: Y.Doc,
  now: number,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): InvitationView[] {
  const incidentType = incidentTypeOf(doc);
  const byInvitation = new Map<string, SignOffView[]>();
  for (const [key, value] of rootMap(doc, Root.signoffs).entries()) {
    const record = parseSignOff(value);
    if (!record || record.id !== key) continue;
    const j = judgeAttested(doc, Root.signoffs, key);
    const view: SignOffView = {
      record,
      id: record.id,
      deviceTime: record.deviceTime,
      serverTime: stampOf(doc, Root.signoffs, key)?.at ?? null,
      attestedAt: j.plausible ? j.attested.at : null,
    };
    const list = byInvitation.get(record.invitationId) ?? [];
    list.push(view);
    byInvitation.set(record.invitationId, list);
  }
  const views: InvitationView[] = [];
  for (const [key, value] of rootMap(doc, Root.invitations).entries()) {
    const invitation = parseInvitation(value);
    if (!invitation || invitation.id !== key) continue;
    const registeredAt = stampOf(doc, Root.invitations, key)?.at ?? null;
    // POL-15: the policy's deadline; a record's `deadlineMinutes` is never read.
    const deadlineMinutes = signOffMinutes(policy, incidentType, invitation.post.kind);
    const deadline = registeredAt === null ? null : deadlineOf(registeredAt, deadlineMinutes);
    const signs = (byInvitation.get(key) ?? []).filter((s) => s.record.postId === invitation.post.id);
    // SIGN-2 with ATT-3: a sign-off that arrived after the deadline counts at its plausible attested time.
    const judged = (s: SignOffView): number =>
      s.serverTime !== null && deadline !== null && s.serverTime > deadline && s.attestedAt !== null
        ? s.attestedAt
        : (s.serverTime ?? Infinity);
    const stamped = signs
      .filter((s) => s.serverTime !== null)
      .sort((a, b) => judged(a) - judged(b) || compareRecords(a, b));
    const first = stamped[0] ?? signs.sort(compareRecords)[0] ?? null;
    let status: InvitationStatus;
    let basis: InvitationView['basis'] = 'stamp';
    let judgedAt: number | null = null;
    if (first) {
      if (first.serverTime === null || deadline === null) status = 'signed-unconfirmed';
      else {
        judgedAt = judged(first);
        if (judgedAt !== first.serverTime) basis = 'attested';
        status = isOnTime(judgedAt, deadline) ? 'signed-on-time' : 'signed-late';
      }
    } else if (deadline === null) status = 'pending';
    else status = now > deadline ? 'overdue' : 'waiting';
    views.push({
      invitation,
      status,
      registeredAt,
      deadlineMinutes,
      deadline,
      signOff: first,
      remainingMs: first || deadline === null ? null : deadline - now,
      basis,
      judgedAt,
    });
  }
  return views.sort((a, b) =>
    compareRecords(
      { id: a.invitation.id, deviceTime: a.invitation.deviceTime, serverTime: a.registeredAt },
      { id: b.invitation.id, deviceTime: b.invitation.deviceTime, serverTime: b.registeredAt },
    ),
  );
}
