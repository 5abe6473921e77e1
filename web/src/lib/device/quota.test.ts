import { describe, expect, it } from 'vitest';
import { estimatedWriteBytes, fits, isQuotaError } from './quota.ts';

describe('STORE-2: quota errors', () => {
  it('recognises the DOMException, Dexie wrappers and bulk failures', () => {
    expect(isQuotaError({ name: 'QuotaExceededError' })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(
      isQuotaError({ name: 'BulkError', failures: [{ name: 'ConstraintError' }, { name: 'QuotaExceededError' }] }),
    ).toBe(true);
    expect(isQuotaError({ name: 'ConstraintError' })).toBe(false);
    expect(isQuotaError(null)).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });

  it('checks a write against the estimate, never blocking on unknown figures', () => {
    expect(estimatedWriteBytes('ab')).toBeGreaterThan(4);
    expect(fits(100, { usage: 900, quota: 1000 })).toBe(true);
    expect(fits(101, { usage: 900, quota: 1000 })).toBe(false);
    expect(fits(1e9, null)).toBe(true);
    expect(fits(1e9, {})).toBe(true);
  });
});
