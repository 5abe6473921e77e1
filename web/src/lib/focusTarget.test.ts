import { describe, expect, it } from 'vitest';
import { focusSelector } from './focusTarget.ts';

describe('UX-2 focus target', () => {
  it('UX-2: each inbox kind names the element its act lives on', () => {
    expect(focusSelector({ kind: 'invitation', ref: 'i1' })).toBe(
      '[data-testid="invitation-row"][data-invitation-id="i1"]',
    );
    expect(focusSelector({ kind: 'clue', ref: 'e1' })).toBe('[data-testid="timeline-entry"][data-entry-id="e1"]');
    expect(focusSelector({ kind: 'instruction', ref: 'e2' })).toContain('data-entry-id="e2"');
    expect(focusSelector({ kind: 'approval', ref: 'a1' })).toContain('data-approval-id="a1"');
    expect(focusSelector({ kind: 'escalation', ref: 'i1' })).toBe(
      '[data-testid="timeline-event"][data-invitation-id="i1"]',
    );
  });

  it('ATT-3: a withdrawn escalation opens at the escalation event it withdrew', () => {
    expect(focusSelector({ kind: 'withdrawn', ref: 'i1' })).toBe(focusSelector({ kind: 'escalation', ref: 'i1' }));
  });
});
