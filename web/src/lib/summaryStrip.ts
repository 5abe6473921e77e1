/**
 * UX-5: the counts of a group's sticky summary strip, from its invitations at the server's now: signed on time,
 * signed late, overdue and unsigned, still waiting (or not yet registered), signed on a device awaiting the server.
 * Pure: tested in Node.
 */
import type { InvitationStatus } from '@muster/core';

export interface StripCounts {
  onTime: number;
  late: number;
  overdue: number;
  waiting: number;
  unconfirmed: number;
}

export function stripCounts(statuses: readonly InvitationStatus[]): StripCounts {
  const c: StripCounts = { onTime: 0, late: 0, overdue: 0, waiting: 0, unconfirmed: 0 };
  for (const s of statuses) {
    if (s === 'signed-on-time') c.onTime++;
    else if (s === 'signed-late') c.late++;
    else if (s === 'overdue') c.overdue++;
    else if (s === 'signed-unconfirmed') c.unconfirmed++;
    else c.waiting++;
  }
  return c;
}
