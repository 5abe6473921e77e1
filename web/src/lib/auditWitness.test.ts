import { describe, expect, it } from 'vitest';
import type { AuditCheckpoint } from '@muster/protocol';
import { judgeWitness, keepsHead } from './auditWitness.ts';

const cp = (seq: number, hash: string, keyId = 'k1'): AuditCheckpoint => ({ seq, hash, at: 1, keyId, signature: 's' });

describe('the audit witness on an auditor’s device (AUDIT-6)', () => {
  const saved = cp(10, 'a'.repeat(64));

  it('AUDIT-6: a first head is kept; a log that still holds the witnessed row holds', () => {
    expect(judgeWitness(null, cp(3, 'b'.repeat(64)), null)).toBe('first');
    expect(judgeWitness(saved, cp(12, 'c'.repeat(64)), { seq: 10, hash: 'a'.repeat(64) })).toBe('holds');
    expect(keepsHead('holds')).toBe(true);
  });

  it('AUDIT-6: a head below the witness, or no row at its seq, is truncated; another hash is rewritten', () => {
    expect(judgeWitness(saved, cp(9, 'c'.repeat(64)), null)).toBe('truncated');
    expect(judgeWitness(saved, cp(12, 'c'.repeat(64)), { seq: 8, hash: 'x' })).toBe('truncated');
    expect(judgeWitness(saved, cp(12, 'c'.repeat(64)), { seq: 10, hash: 'd'.repeat(64) })).toBe('rewritten');
    expect(judgeWitness(saved, cp(12, 'c'.repeat(64), 'k2'), { seq: 10, hash: 'a'.repeat(64) })).toBe('other-key');
    for (const s of ['truncated', 'rewritten', 'other-key'] as const) expect(keepsHead(s)).toBe(false);
  });
});
