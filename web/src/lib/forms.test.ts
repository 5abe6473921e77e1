import { describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_TYPES, validateApprovalFields } from '@muster/core';
import { emptyValues, errorsByField, fieldErrorKey, filledValues, parseDue } from './forms.ts';

const cctv = DEFAULT_APPROVAL_TYPES.find((t) => t.id === 'cctv-retrieval')!;
const cross = DEFAULT_APPROVAL_TYPES.find((t) => t.id === 'cross-district')!;

describe('approval form validation (APR-1)', () => {
  it('maps core field errors to messages, one per field', () => {
    const res = validateApprovalFields(cctv, { ...emptyValues(cctv), location: '东湖路', from: '2026-13-99' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const by = errorsByField(res.errors);
    expect(fieldErrorKey(by['from']!)).toBe('apr.invalid.date');
    expect(fieldErrorKey(by['to']!)).toBe('apr.invalid.required');
    expect(by['location']).toBeUndefined();
  });
  it('leaves empty optional fields out and checks numbers', () => {
    const values = filledValues({ district: '西城', officers: '', reason: '协查' });
    expect(validateApprovalFields(cross, values)).toEqual({ ok: true, values: { district: '西城', reason: '协查' } });
    const bad = validateApprovalFields(cross, { ...values, officers: 'many' });
    expect(!bad.ok && fieldErrorKey(bad.errors[0]!)).toBe('apr.invalid.number');
  });
});

describe('task due time (TASK-1)', () => {
  it('parses a datetime-local value, empty is no due time', () => {
    expect(parseDue('')).toBeNull();
    expect(parseDue('2026-11-28T18:30')).toBe(new Date('2026-11-28T18:30').getTime());
    expect(parseDue('tomorrow')).toBe('invalid');
  });
});
