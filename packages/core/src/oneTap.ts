/**
 * TPL-4: one tap (一键拉群): the group and every invitation of its template's expansion are written in one
 * transaction, on the device, offline too. Deadlines start when the server stamps the invitations (SLA-3).
 */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { startGroup } from './group.ts';
import type { StartGroupInput } from './group.ts';
import { invitePost } from './invitations.ts';
import type { GroupMeta, InvitationRecord } from './schema.ts';
import type { ExpandedTemplate } from './templates.ts';
import { isId, parsePostRef } from './validate.ts';

export interface StartFromTemplateInput {
  group: Omit<StartGroupInput, 'templateId'>;
  expansion: ExpandedTemplate;
  /** One device-made id per expanded post, in the same order. */
  invitationIds: string[];
}

export function startGroupFromTemplate(
  doc: Y.Doc,
  input: StartFromTemplateInput,
): { meta: GroupMeta; invitations: InvitationRecord[] } {
  const { expansion, invitationIds } = input;
  // Check everything first: a Yjs transaction does not roll back, so nothing may fail half-way.
  if (invitationIds.length !== expansion.posts.length) {
    throw new CommandError('bad-ids', 'one invitation id is needed per invited post');
  }
  if (new Set(invitationIds).size !== invitationIds.length || !invitationIds.every(isId)) {
    throw new CommandError('bad-id', 'invitation ids must be distinct, 1–64 letters, digits, - or _');
  }
  if (new Set(expansion.posts.map((p) => p.post.id)).size !== expansion.posts.length) {
    throw new CommandError('already-invited', 'a post appears twice in the expansion');
  }
  for (const p of expansion.posts) {
    if (!parsePostRef(p.post)) {
      throw new CommandError('bad-post', `post "${p.post.id}" of the expansion is not valid`);
    }
  }
  let meta: GroupMeta | null = null;
  const invitations: InvitationRecord[] = [];
  doc.transact(() => {
    // POL-15: deadlines are the server's (its templates); the records carry none.
    meta = startGroup(doc, { ...input.group, templateId: expansion.templateId });
    expansion.posts.forEach((p, k) => {
      invitations.push(
        invitePost(doc, {
          id: invitationIds[k]!,
          post: p.post,
          invitedBy: input.group.initiator,
          deviceTime: input.group.deviceTime,
        }),
      );
    });
  });
  return { meta: meta!, invitations };
}
