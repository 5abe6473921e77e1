import { describe, expect, it } from 'vitest';
import { mayArriveLate } from './late.ts';
import { Root } from './schema.ts';

describe('mayArriveLate', () => {
  it('LATE-2 ASSIST-10 ASSIST-8: field work, questions to the assistant and pushed answers arrive late; decisions do not', () => {
    expect(mayArriveLate(Root.entries, { type: 'finding' })).toBe(true);
    expect(mayArriveLate(Root.questions, { id: 'q1', text: '10020260110 机主是谁' })).toBe(true);
    expect(mayArriveLate(Root.acks, {})).toBe(true);
    expect(mayArriveLate(Root.entries, { type: 'decision' })).toBe(false);
    expect(mayArriveLate(Root.invitations, {})).toBe(false);
    expect(mayArriveLate(Root.closeRequests, {})).toBe(false);
    expect(mayArriveLate(Root.lookupPushes, {})).toBe(true);
  });
});
