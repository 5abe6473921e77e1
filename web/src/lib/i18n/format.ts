/** Locale-aware formatting through Intl (times, durations), plus message interpolation. Pure: tested in Node. */
import { zhCN, type MessageKey, type Messages } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/**
 * BUDGET-1: the zh-CN catalogue is part of the first load; another language's loads when it is chosen (or saved
 * as the choice), before any of its text is shown. Until then a key falls back to zh-CN.
 */
const catalogs: Partial<Record<Locale, Messages>> = { 'zh-CN': zhCN };
const loaders: Record<Locale, () => Promise<Messages>> = {
  'zh-CN': () => Promise.resolve(zhCN),
  en: () => import('./en.ts').then((m) => m.en),
};

/** Whether `locale`'s catalogue is loaded (zh-CN always is). */
export function hasCatalog(locale: Locale): boolean {
  return catalogs[locale] !== undefined;
}

/** Loads `locale`'s catalogue once; later calls resolve at once. */
export async function loadCatalog(locale: Locale): Promise<void> {
  catalogs[locale] ??= await loaders[locale]();
}

export type Params = Record<string, string | number>;

/** Templates split once at their `{name}` placeholders (odd indices are names): a list row interpolates several. */
const splitCache = new Map<string, string[]>();

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale]?.[key] ?? zhCN[key] ?? key;
  if (!params) return template;
  let parts = splitCache.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    splitCache.set(template, parts);
  }
  if (parts.length === 1) return template;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    out += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return out;
}

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

/** Formatters are cached: a list of 200 rows formats 200 times with one. */
function dtf(locale: Locale, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withDate}`;
  let f = dateTimeCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    dateTimeCache.set(key, f);
  }
  return f;
}

const twoDigitCache = new Map<Locale, Intl.NumberFormat>();

function twoDigits(locale: Locale, n: number): string {
  let f = twoDigitCache.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
    twoDigitCache.set(locale, f);
  }
  return f.format(n);
}

/** The local day [start, end) `today` falls in, kept for the last day asked (a list asks about one day). */
let dayCache: { start: number; end: number } | null = null;

function sameLocalDay(t: number, today: number): boolean {
  if (!dayCache || today < dayCache.start || today >= dayCache.end) {
    const d = new Date(today);
    if (Number.isNaN(d.getTime())) return false;
    const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
    dayCache = { start, end };
  }
  return t >= dayCache.start && t < dayCache.end;
}

/** A time of day, with the date when it is not `today`'s. */
export function formatTime(locale: Locale, t: number, today: number = Date.now()): string {
  return dtf(locale, !sameLocalDay(t, today)).format(t);
}

export function formatDateTime(locale: Locale, t: number): string {
  return dtf(locale, true).format(t);
}

/** A duration for countdowns ("7 分 05 秒" / "7 min 05 s"); sign is dropped. */
export function formatDuration(locale: Locale, ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return translate(locale, 'duration.hms', { h, m: twoDigits(locale, m) });
  return translate(locale, 'duration.ms', { m, s: twoDigits(locale, s) });
}

const listCache = new Map<Locale, Intl.ListFormat>();

/**
 * I18N-3: names joined the way the language joins a list: "甲、乙、丙" in zh-CN, "A, B, and C" in English
 * (`Intl.ListFormat`), never a separator written in one language's punctuation.
 */
export function formatList(locale: Locale, items: readonly string[]): string {
  let f = listCache.get(locale);
  if (!f) {
    f = new Intl.ListFormat(
      locale,
      locale === 'en' ? { type: 'conjunction' } : { type: 'conjunction', style: 'narrow' },
    );
    listCache.set(locale, f);
  }
  return f.format(items);
}

const pluralCache = new Map<Locale, Intl.PluralRules>();

/** A message with plural forms: `<base>.other` is in the catalogues (and `<base>.one` etc. where a language has them). */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}.other` ? B : never }[MessageKey];

/**
 * I18N-3: a message with a count in the language's plural form (`Intl.PluralRules`): the key `<key>.<category>`
 * when the catalogue has it ("Sending 1 change" / "Sending 2 changes"), else `<key>.other`.
 */
export function translatePlural(locale: Locale, key: PluralKey, count: number, params: Params = {}): string {
  let rules = pluralCache.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralCache.set(locale, rules);
  }
  const specific = `${key}.${rules.select(count)}`;
  const chosen = (specific in (catalogs[locale] ?? zhCN) ? specific : `${key}.other`) as MessageKey;
  return translate(locale, chosen, { count, ...params });
}
