import { describe, expect, it } from 'vitest';
import { checkPin, lockMinutes, makePinRecord, parsePinRecord, validPin } from './pin.ts';

describe('LOCK-1 PIN', () => {
  it('LOCK-1: a PIN is 4 to 8 digits', () => {
    expect(validPin('2468')).toBe(true);
    expect(validPin('12345678')).toBe(true);
    expect(validPin('123')).toBe(false);
    expect(validPin('123456789')).toBe(false);
    expect(validPin('12a4')).toBe(false);
  });

  it('LOCK-1: only a salted hash is kept, and it checks the PIN offline', async () => {
    const r = await makePinRecord('demo015', '2468', 1000);
    expect(JSON.stringify(r)).not.toContain('2468');
    expect(await checkPin(r, '2468')).toBe(true);
    expect(await checkPin(r, '2469')).toBe(false);
    expect(await checkPin(r, 'abcd')).toBe(false);
    const again = await makePinRecord('demo015', '2468', 1000);
    expect(again.salt).not.toBe(r.salt);
    expect(again.hash).not.toBe(r.hash);
    expect(parsePinRecord(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(parsePinRecord({ ...r, hash: 'x' })).toBeNull();
    await expect(makePinRecord('demo015', '12')).rejects.toThrow();
  });

  it('LOCK-2: the lock time stays within 1..30 minutes, 5 unless told', () => {
    expect(lockMinutes(undefined)).toBe(5);
    expect(lockMinutes(12)).toBe(12);
    expect(lockMinutes(90)).toBe(30);
    expect(lockMinutes(0)).toBe(1);
  });
});
