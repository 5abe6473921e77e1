import { describe, expect, it } from 'vitest';
import { Root } from '@muster/core';
import { touchesListStatus } from './groupIndex.ts';

const changes = (entries: [string, string[]][]) => new Map(entries.map(([r, ks]) => [r, new Set(ks)]));

describe('HIST-1 list status refresh', () => {
  it('HIST-1: invitations, sign-offs, their stamps and the closure move the list status; findings do not', () => {
    expect(touchesListStatus(changes([[Root.invitations, ['i1']]]))).toBe(true);
    expect(touchesListStatus(changes([[Root.signoffs, ['s1']]]))).toBe(true);
    expect(touchesListStatus(changes([[Root.closure, ['closure']]]))).toBe(true);
    expect(touchesListStatus(changes([[Root.stamps, [`${Root.invitations}/i1`]]]))).toBe(true);
    expect(touchesListStatus(changes([[Root.stamps, [`${Root.entries}/e1`]]]))).toBe(false);
    expect(touchesListStatus(changes([[Root.entries, ['e1']]]))).toBe(false);
  });
});
