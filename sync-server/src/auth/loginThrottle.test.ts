import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MemoryStore } from '../store/memoryStore.ts';
import { LoginThrottle } from './loginThrottle.ts';

const opts = { accountMaxFailures: 2, addressMaxFailures: 100, windowMs: 1_000, lockMs: 100, maxLockMs: 400 };

describe('LoginThrottle (AUTH-1)', () => {
  it('AUTH-1: keeps lock-outs in the store: a throttle loaded again is still locked, and doubles the next lock', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock(10_000);
    const first = await LoginThrottle.load(store, clock, opts);
    expect(await first.fail('demo001', '1.2.3.4')).toBeNull();
    expect(await first.fail('demo001', '1.2.3.4')).toEqual({ scope: 'account', retryAfterMs: 100 });

    const second = await LoginThrottle.load(store, clock, opts);
    clock.advance(40);
    expect(second.check('demo001', '5.6.7.8')).toEqual({ scope: 'account', retryAfterMs: 60 });
    clock.advance(60);
    expect(second.check('demo001', '5.6.7.8')).toBeNull();
    await second.fail('demo001', '1.2.3.4');
    expect(await second.fail('demo001', '1.2.3.4')).toEqual({ scope: 'account', retryAfterMs: 200 });

    clock.advance(200);
    await second.succeed('demo001');
    expect((await store.listThrottle()).map((r) => r.key)).toEqual(['r:1.2.3.4']);
  });

  it('AUTH-1: drops stored rows that expired when it loads', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock(10_000);
    await store.setThrottle('a:old', { failures: [1_000], lockedUntil: 2_000, locks: 1 });
    await store.setThrottle('a:recent', { failures: [9_500], lockedUntil: 0, locks: 0 });
    await store.setThrottle('a:locked-lately', { failures: [], lockedUntil: 9_800, locks: 1 });
    const t = await LoginThrottle.load(store, clock, opts);
    expect((await store.listThrottle()).map((r) => r.key)).toEqual(['a:locked-lately', 'a:recent']);
    // 'recent' has one failure in the window: one more locks it.
    expect(await t.fail('recent', 'x')).toEqual({ scope: 'account', retryAfterMs: 100 });
    // 'locked-lately' keeps its lock count: its next lock doubles.
    await t.fail('locked-lately', 'x');
    expect(await t.fail('locked-lately', 'x')).toEqual({ scope: 'account', retryAfterMs: 200 });
  });

  it('AUTH-7: two throttles joined by their change notices lock together and clear together', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock(10_000);
    const a = await LoginThrottle.load(store, clock, opts);
    const b = await LoginThrottle.load(store, clock, opts);
    a.onChange((key, state) => b.apply(key, state));
    b.onChange((key, state) => a.apply(key, state));
    expect(await a.fail('demo002', '1.1.1.1')).toBeNull();
    // The second failure, made on the other node, counts with the first.
    expect(await b.fail('demo002', '2.2.2.2')).toEqual({ scope: 'account', retryAfterMs: 100 });
    expect(a.check('demo002', '3.3.3.3')).toEqual({ scope: 'account', retryAfterMs: 100 });
    clock.advance(100);
    await a.succeed('demo002');
    expect(b.check('demo002', '3.3.3.3')).toBeNull();
    // Cleared on both: one failure on b does not lock.
    expect(await b.fail('demo002', '2.2.2.2')).toBeNull();
  });
});
