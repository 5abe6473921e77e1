/**
 * ASSIST-1: the entities a look-up question names, found without a network or a model: 18-digit resident ID numbers
 * (GB 11643 check digit), mainland plates (7 characters, 8 for new-energy plates), mobile and landline numbers,
 * birth years and addresses. Names are found by the parser (parser.ts) in what is left once these are cut out.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643: the check character of the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('the check digit needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** A well-formed 18-character resident ID: 17 digits, a plausible birth date and the right check character. */
export function isValidResidentId(id: string): boolean {
  const v = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  return idCheckDigit(v.slice(0, 17)) === v[17];
}

/** Province abbreviations that open a mainland plate. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

export type EntityKind = 'id' | 'plate' | 'phone' | 'address' | 'year';

export interface FoundEntity {
  kind: EntityKind;
  /** Normalised value: IDs upper-case, plates without separators, phones digits only (landline area code kept). */
  value: string;
  /** Where it was found in the text, so the parser can cut it out. */
  start: number;
  end: number;
  /** For `id`: false when the 18 characters fail the check digit (ASSIST-2). */
  valid?: boolean;
  /** For `phone`. */
  phoneKind?: 'mobile' | 'landline';
}

const plateRe = new RegExp(
  `[${PLATE_PROVINCES}]\\s*[A-HJ-NP-Za-hj-np-z]\\s*[·•.\\-\\s]?\\s*(?:[DFdf][A-HJ-NP-Za-hj-np-z0-9]{5}|[A-HJ-NP-Za-hj-np-z0-9]{5}[DFdf]|[A-HJ-NP-Za-hj-np-z0-9]{4}[A-HJ-NP-Za-hj-np-z0-9学警挂])(?![A-Za-z0-9])`,
  'gu',
);
// 18 characters (any check character, judged later), not part of a longer run of digits.
const idRe = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
// A mobile number: 11 digits starting with 1, optionally split 3-4-4 by spaces or hyphens.
const mobileRe = /(?<![\d])(?:\+?86[\s-]?)?(1\d{2})[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
// A landline: area code 0 + 2-3 digits, then 7-8 digits, with an optional hyphen or space (or brackets).
const landlineRe = /(?<![\d])\(?(0\d{2,3})\)?[\s-]?(\d{7,8})(?!\d)/g;
const yearRe =
  /(?<!\d)(19[2-9]\d|20[0-2]\d)(?!\d)\s*(?:年生|年出生|年|年的|生人|born)?|(?:born(?:\s+in)?|b\.)\s*(19[2-9]\d|20[0-2]\d)(?!\d)/giu;
// Address words; the characters before them exclude verbs and particles ("张三住在阳光小区" gives 阳光小区).
const ADDRESS_CHAR = '(?:(?![的在查住于是了与到去过询下附近哪些什么])[\\u4e00-\\u9fa5])';
const addressZhRe = new RegExp(
  `${ADDRESS_CHAR}{1,12}?(?:路|街|大道|大街|巷|胡同|弄)(?:\\d+|[一二三四五六七八九十百]+)号(?:院|楼)?|${ADDRESS_CHAR}{2,10}(?:小区|大厦|广场|花园|公寓|宾馆|酒店|商场|市场|车站|医院|学校|公园)`,
  'gu',
);
const addressEnRe = /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln)\b\.?/g;

// A road named without a house number, or a crossing of two ("东湖路", "滨江大道和东湖路口", "Donghu Road"): a place
// only for place look-ups (cameras, 110 calls), so the parser asks for it there alone.
const ROAD_ZH = `${ADDRESS_CHAR}{1,8}?(?:大道|大街|路|街|巷|胡同|弄)`;
const roadZhRe = new RegExp(`${ROAD_ZH}(?:[和跟、/]${ROAD_ZH})?(?:交叉口|交汇处|路口|口)?`, 'u');
const ROAD_EN = '(?:[A-Z][a-z]+\\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln)\\b\\.?';
const roadEnRe = new RegExp(`\\b${ROAD_EN}(?:\\s+(?:and|&)\\s+${ROAD_EN})?(?:\\s+\\d{1,5}\\b)?`);

/** ASSIST-1: the first road (or crossing of two roads) the text names, without a house number. */
export function findRoad(text: string): { value: string; start: number; end: number } | null {
  const m = roadZhRe.exec(text) ?? roadEnRe.exec(text);
  return m ? { value: m[0].trim(), start: m.index, end: m.index + m[0].length } : null;
}

function overlaps(taken: FoundEntity[], start: number, end: number): boolean {
  return taken.some((e) => start < e.end && end > e.start);
}

/** Every entity in the text, longest kinds first (an ID's digits are never also a phone or a year). */
export function findEntities(text: string): FoundEntity[] {
  const out: FoundEntity[] = [];
  const add = (e: FoundEntity): void => {
    if (!overlaps(out, e.start, e.end)) out.push(e);
  };
  for (const m of text.matchAll(idRe)) {
    const value = m[0].toUpperCase();
    add({ kind: 'id', value, start: m.index, end: m.index + m[0].length, valid: isValidResidentId(value) });
  }
  for (const m of text.matchAll(plateRe)) {
    const value = m[0].replace(/[\s·•.-]/g, '').toUpperCase();
    add({ kind: 'plate', value, start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(mobileRe)) {
    add({
      kind: 'phone',
      phoneKind: 'mobile',
      value: `${m[1]}${m[2]}${m[3]}`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(landlineRe)) {
    add({
      kind: 'phone',
      phoneKind: 'landline',
      value: `${m[1]}-${m[2]}`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const re of [addressZhRe, addressEnRe]) {
    for (const m of text.matchAll(re))
      add({ kind: 'address', value: m[0].trim(), start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(yearRe)) {
    add({ kind: 'year', value: m[1] ?? m[2]!, start: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}
