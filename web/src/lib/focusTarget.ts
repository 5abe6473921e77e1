/**
 * UX-2: the element of a group view an inbox item is about: the invitation row (to sign), the timeline entry (a
 * clue or an instruction, to acknowledge), the approval row (to decide), or the escalation event of an invitation
 * (also for a withdrawn escalation, ATT-3).
 * Pure: tested in Node.
 */
import type { Focus } from './routes.ts';

export function focusSelector(focus: Focus): string {
  // refs are ids (letters, digits, - and _: see routes.ts), safe inside a quoted attribute selector
  const ref = focus.ref;
  switch (focus.kind) {
    case 'invitation':
      return `[data-testid="invitation-row"][data-invitation-id="${ref}"]`;
    case 'clue':
    case 'instruction':
      return `[data-testid="timeline-entry"][data-entry-id="${ref}"]`;
    case 'approval':
      return `[data-testid="approval-row"][data-approval-id="${ref}"]`;
    case 'escalation':
    case 'withdrawn':
      return `[data-testid="timeline-event"][data-invitation-id="${ref}"]`;
    case 'lookup':
      return `[data-testid="lookup-push"][data-push-id="${ref}"]`;
  }
}
