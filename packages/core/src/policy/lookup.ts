/** ASSIST-6..ASSIST-8 the look-up rules: clearance from duty; who queries a source, reveals, pushes an answer. */
import type { Directory } from '../directory.ts';
import { OK, no, onDuty } from './definitions.ts';
import type { ActingPerson, Verdict } from './definitions.ts';

/** Look-up clearance: 0 any member; 1 on duty at some post; 2 on duty at a data-support post, or a leader on duty. */
export type LookupClearance = 0 | 1 | 2;

export const DATA_SUPPORT_CAPABILITY = 'data-support';
/** Clearance needed to reveal a masked value (ASSIST-6). */
export const REVEAL_CLEARANCE: LookupClearance = 2;

export function lookupClearance(dir: Directory, personId: string): LookupClearance {
  const person = dir.person(personId);
  if (!person) return 0;
  const duty = person.postIds.filter((p) => onDuty(dir, personId, p));
  if (duty.some((p) => dir.post(p)?.capabilities.includes(DATA_SUPPORT_CAPABILITY))) return 2;
  if (duty.length > 0 && person.roles.includes('leader')) return 2;
  return duty.length > 0 ? 1 : 0;
}

/** What a source asks of a person: a clearance and, optionally, one of some roles. */
export interface SourceRule {
  clearance: LookupClearance;
  roles?: readonly string[];
}

/**
 * ASSIST-7 query a source: a member of the group (the relay applies only members' questions) with the source's
 * clearance and, when it names roles, one of them. Codes: `not-allowed` (role), `no-clearance`.
 */
export function mayQuerySource(dir: Directory, personId: string, rule: SourceRule): Verdict {
  const person = dir.person(personId);
  if (!person) return no('not-allowed', 'unknown person');
  if (rule.roles && !rule.roles.some((r) => (person.roles as readonly string[]).includes(r))) {
    return no('not-allowed', `this source is for ${rule.roles.join(', ')}`);
  }
  if (lookupClearance(dir, personId) < rule.clearance) {
    return no('no-clearance', `this source needs clearance ${rule.clearance}`);
  }
  return OK;
}

/** ASSIST-6 reveal a masked value: clearance 2. */
export function mayRevealLookup(dir: Directory, personId: string): Verdict {
  return lookupClearance(dir, personId) >= REVEAL_CLEARANCE
    ? OK
    : no('no-clearance', 'revealing a masked value needs a data-support post or a leader on duty');
}

/** ASSIST-8 send an answer to a member: a desk or a leader. */
export function mayPushLookup(s: Pick<ActingPerson, 'roles'>): Verdict {
  return s.roles.includes('desk') || s.roles.includes('leader')
    ? OK
    : no('may-not-push', 'only a desk or a leader sends an answer to a member');
}
