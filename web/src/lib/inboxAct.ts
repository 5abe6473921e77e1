/** UX-2: the one act an inbox row offers, asked of the core policy (POL-17: only an act the person may take). */
import { mayAcknowledge, onDuty } from '@muster/core';
import type { ActingPerson, Directory, InboxItem } from '@muster/core';

export type InboxAct = 'sign' | 'ack';

/**
 * The act an inbox row offers, only where the policy allows it (POL-17): signing an invitation needs duty at its post
 * now (POL-5, `onDuty`: the item went to whoever was on duty then); acknowledging is one's own (POL-7).
 */
export function actOf(item: InboxItem, dir: Directory, me: ActingPerson | null): InboxAct | null {
  if (!me) return null;
  if (item.kind === 'invitation') return item.postId && onDuty(dir, me.personId, item.postId) ? 'sign' : null;
  if (item.kind === 'clue' || item.kind === 'instruction') return mayAcknowledge(dir, me, null).ok ? 'ack' : null;
  return null;
}
