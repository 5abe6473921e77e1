/**
 * ATT-5: a supervisor's filter of the group's invitations down to the verdicts judged on an attested time (ATT-3).
 * Which verdict rests on an attested time is core's (`invitationViews` gives `basis: 'attested'`); nothing here
 * re-derives it. Offered to those who run or supervise the group: its initiator, its management desks and the
 * leaders who may supervise it.
 */
import type { InvitationView } from '@muster/core';
import type { GroupPermissions } from '../groupPermissions.ts';

/** ATT-5: whom the filter is offered to (they supervise the group's verdicts). */
export function superviseVerdicts(p: GroupPermissions): boolean {
  return p.initiator || p.managementPostIds.length > 0 || p.supervisePostIds.length > 0;
}

export class AttestedFilter {
  /** Show only the verdicts judged on an attested time. */
  only = $state(false);

  private readonly source: () => { invitations: InvitationView[]; permissions: GroupPermissions };

  /** `source` is read inside derivations (e.g. `() => view`), so the filter follows the group as it changes. */
  constructor(source: () => { invitations: InvitationView[]; permissions: GroupPermissions }) {
    this.source = source;
  }

  /** The verdicts judged on an attested time. */
  attested = $derived.by(() => this.source().invitations.filter((v) => v.basis === 'attested'));

  /** ATT-5: offered to the reader (they supervise the group's verdicts). */
  offered = $derived.by(() => superviseVerdicts(this.source().permissions));

  /** The invitations to list: all, or (filter on, offered) only the attested verdicts. */
  shown = $derived.by(() => (this.only && this.offered ? this.attested : this.source().invitations));
}
