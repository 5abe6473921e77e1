/**
 * HIST-1: what the group list, its filters and the desk board need of a group, read once from its document (by the
 * relay when it persists the group, by a device when it loads it), so neither has to open the document again.
 */
import type * as Y from 'yjs';
import type { GroupListStatus } from '@muster/protocol';
import { closureDeadline } from './closure.ts';
import { invitationViews } from './invitations.ts';
import { readMeta } from './group.ts';
import { currentHold } from './hold.ts';
import { readClosure } from './records.ts';

export function listStatusOf(doc: Y.Doc): GroupListStatus {
  const views = invitationViews(doc, 0);
  return {
    initiatorId: readMeta(doc)?.initiator.personId ?? null,
    closedAt: readClosure(doc)?.at ?? null,
    heldAt: currentHold(doc)?.at ?? null,
    invited: views.length,
    signed: views.filter((v) => v.signOff).length,
    closureDeadline: closureDeadline(doc),
    open: views
      .filter((v) => !v.signOff)
      .map((v) => ({ invitationId: v.invitation.id, postId: v.invitation.post.id, deadline: v.deadline })),
  };
}
