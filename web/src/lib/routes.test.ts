import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './routes.ts';

describe('routes', () => {
  it('parses the hash routes', () => {
    expect(parseRoute('')).toEqual({ name: 'groups' });
    expect(parseRoute('#/')).toEqual({ name: 'groups' });
    expect(parseRoute('#/login')).toEqual({ name: 'login' });
    expect(parseRoute('#/groups/')).toEqual({ name: 'groups' });
    expect(parseRoute('#/groups/new')).toEqual({ name: 'new-group' });
    expect(parseRoute('#/groups/3f2c1d9e-aaaa-4bbb-8ccc-123456789012')).toEqual({
      name: 'group',
      id: '3f2c1d9e-aaaa-4bbb-8ccc-123456789012',
    });
    expect(parseRoute('#/groups/g1/item/clue/e-7')).toEqual({
      name: 'group',
      id: 'g1',
      focus: { kind: 'clue', ref: 'e-7' },
    });
    expect(parseRoute('#/groups/g1/item/bogus/e-7')).toEqual({ name: 'not-found', path: '/groups/g1/item/bogus/e-7' });
    expect(parseRoute('#/groups/bad id!')).toEqual({ name: 'not-found', path: '/groups/bad id!' });
  });

  it('round-trips', () => {
    for (const r of [
      { name: 'login' },
      { name: 'groups' },
      { name: 'new-group' },
      { name: 'group', id: 'g_1-2' },
      { name: 'group', id: 'g_1-2', focus: { kind: 'escalation', ref: 'inv-9' } },
      { name: 'record', id: 'g_1-2' },
      { name: 'board' },
      { name: 'inbox' },
      { name: 'settings' },
      { name: 'audit' },
    ] as const)
      expect(parseRoute(routeHash(r))).toEqual(r);
  });
});
