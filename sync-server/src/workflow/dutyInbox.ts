/**
 * INBOX-4: going on duty at a post delivers the open invitations of that post to the person's inbox at once. The
 * groups inviting the post come from the store's group access rows (the posts each group invited); each group
 * document is read through the relay and its deliveries (core `inboxDeliveries`) for that person are written by the
 * inbox writer. Items are keyed, so going on duty again delivers nothing twice.
 */
import { inboxDeliveries } from '@muster/core';
import type { DeadlinePolicy, Delivery, Directory } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { InboxWriter } from './inboxWriter.ts';
import type { DocumentAccess } from './types.ts';

export interface DutyInboxOptions {
  store: Store;
  docs: () => DocumentAccess;
  directory: () => Directory;
  inbox: InboxWriter;
  log: Logger;
  /** POL-15: the server's deadline policy (whether an escalation was withdrawn, ATT-3, depends on it). */
  deadlines?: DeadlinePolicy;
}

/** Returns what to run when a person goes on duty at a post; resolves when their inbox items are written. */
export function dutyInbox(o: DutyInboxOptions): (personId: string, postId: string) => Promise<void> {
  return async (personId, postId) => {
    const groups = (await o.store.listGroupAccess()).filter((a) => a.postIds.includes(postId));
    const deliveries: Delivery[] = [];
    for (const g of groups) {
      try {
        const owed = await o
          .docs()
          .withDocument(groupDocName(g.groupId), ({ doc }) => inboxDeliveries(doc, o.directory(), o.deadlines));
        for (const d of owed) if (d.personId === personId) deliveries.push(d);
      } catch (error) {
        o.log.error('could not read group for duty inbox', { group: g.groupId, error: errorText(error) });
      }
    }
    await o.inbox.deliver(deliveries);
  };
}
