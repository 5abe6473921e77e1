import { describe, expect, it } from 'vitest';
import { demoDirectory } from './demoFixture.ts';

describe('directory', () => {
  const dir = demoDirectory();
  it('DIR-3/DIR-4: unit ancestry, sub-bureau, posts and who is on duty (holding a post is not being on duty)', () => {
    expect(dir.ancestry('ks-e1').map((u) => u.id)).toEqual(['ks-e1', 'st-e1', 'sb-e', 'city']);
    expect(dir.subBureauOf('ks-e1')?.id).toBe('sb-e');
    expect(dir.subBureauOf('dept-intel')).toBeNull();
    expect(dir.postsOf('sb-e', 'leader').map((p) => p.id)).toEqual(['p-e-chief', 'p-e-leader']);
    expect(dir.onDutyAt('p-e-mgmt').map((p) => p.id)).toEqual(['demo005']);
    expect(dir.isOnDuty('demo006', 'p-e-mgmt')).toBe(false); // holds the post, off duty
  });
  it('SUP-1: a leader unit oversees the units below it, not its siblings', () => {
    expect(dir.oversees('sb-e', 'ks-e1')).toBe(true);
    expect(dir.oversees('city', 'st-w2')).toBe(true);
    expect(dir.oversees('sb-w', 'st-e1')).toBe(false);
  });
  it('DIR-5: search by post or unit name, English name, or pinyin initials', () => {
    expect(dir.searchPosts('刑警').map((p) => p.id)).toEqual(['p-e-cid', 'p-w-cid']);
    expect(dir.searchPosts('airport').map((p) => p.id)).toEqual(['p-out-airport']);
    expect(dir.searchPosts('xjdd').map((p) => p.id)).toContain('p-e-cid');
    expect(dir.searchPosts('  ')).toEqual([]);
  });
  it('ESC-2: escalation goes to the duty leader of the sub-bureau, else the nearest leader post up', () => {
    expect(dir.escalationPostFor('ks-e1')?.id).toBe('p-e-leader');
    expect(dir.escalationPostFor('dept-intel')?.id).toBe('p-city-leader');
    expect(dir.escalationPostFor('st-e1', 'p-e-leader')?.id).toBe('p-e-chief');
    expect(dir.escalationPostFor('out-airport')).toBeNull();
  });
});
