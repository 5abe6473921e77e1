import { describe, expect, it } from 'vitest';
import { findEntities, idCheckDigit, isValidResidentId } from './entities.ts';

describe('look-up entities', () => {
  it('ASSIST-2: the GB 11643 check digit (weights 7 9 10 5 8 4 2 1 6 3 …, mod 11 → 1 0 X 9 … 2)', () => {
    // The standard's own worked example.
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491331002X')).toBe(false); // month 13
  });

  it('ASSIST-1: an ID with a wrong check digit is found but marked invalid; 17 or 19 digits are no ID', () => {
    const [e] = findEntities('查 990101198501012340');
    expect(e).toMatchObject({ kind: 'id', valid: false });
    expect(findEntities('99010119850101234').some((x) => x.kind === 'id')).toBe(false);
    expect(findEntities('9901011985010123400').some((x) => x.kind === 'id')).toBe(false);
  });

  it('ASSIST-1: plates with and without separators, new-energy plates of 8 characters', () => {
    const plates = (t: string): string[] =>
      findEntities(t)
        .filter((e) => e.kind === 'plate')
        .map((e) => e.value);
    expect(plates('苏A·12345 车主')).toEqual(['苏A12345']);
    expect(plates('苏a 12345')).toEqual(['苏A12345']);
    expect(plates('浙AD12345 和 粤B12345F')).toEqual(['浙AD12345', '粤B12345F']);
    expect(plates('京A1234学')).toEqual(['京A1234学']);
    expect(plates('苏I12345')).toEqual([]); // I and O are not used as the city letter
  });

  it('ASSIST-1: mobile numbers (spaced, +86) and landlines with their area code', () => {
    const phones = (t: string): string[] =>
      findEntities(t)
        .filter((e) => e.kind === 'phone')
        .map((e) => e.value);
    expect(phones('13800000000 机主')).toEqual(['13800000000']);
    expect(phones('+86 138-0000-0000')).toEqual(['13800000000']);
    expect(phones('(010) 12345678 与 0755-8765432')).toEqual(['010-12345678', '0755-8765432']);
    expect(phones('110 报警记录')).toEqual([]);
  });
});
