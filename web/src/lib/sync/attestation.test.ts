import { describe, expect, it } from 'vitest';
import { Attestation } from './attestation.ts';

const HOUR = 3_600_000;
const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('attestation (device)', () => {
  it('ATT-1: anchor + monotonic time while the page runs; a device clock off by ±2 h changes nothing', () => {
    for (const skew of [-2 * HOUR, 2 * HOUR]) {
      let mono = 500;
      const server = 1_900_000_000_000;
      const a = new Attestation(
        memory(),
        () => mono,
        () => server + skew + mono,
        's1',
      );
      expect(a.now()).toBeNull();
      a.observe(server + 500);
      mono += 4 * 60_000;
      expect(a.now()).toEqual({
        at: server + 500 + 4 * 60_000,
        uncertaintyMs: 1_000 + 240,
        anchorAt: server + 500,
        chain: 'monotonic',
      });
    }
  });

  it('ATT-1: after a restart the anchor is read back and the device clock is corrected by the measured skew, with a wider uncertainty', () => {
    const store = memory();
    const server = 1_900_000_000_000;
    let wall = server + 2 * HOUR; // device clock two hours ahead
    const before = new Attestation(
      store,
      () => 100,
      () => wall,
      'before',
    );
    before.observe(server);
    wall += 10 * 60_000;
    const after = new Attestation(
      store,
      () => 5,
      () => wall,
      'after',
    );
    const t = after.now()!;
    expect(t.chain).toBe('restart');
    expect(t.at).toBe(server + 10 * 60_000);
    expect(t.uncertaintyMs).toBe(30_000 + 6_000);
    expect(t.anchorAt).toBe(server);
  });
});
