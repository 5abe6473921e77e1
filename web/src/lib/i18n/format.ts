/** Locale-aware formatting through Intl, plus message interpolation. Pure: tested in Node. */
import { en } from './en.ts';
import { zhCN, type MessageKey, type Messages } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key] ?? zhCN[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

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

/** A time of day, with the date when it is not `today`'s. */
export function formatTime(locale: Locale, t: number, today: number = Date.now()): string {
  const sameDay = new Date(t).toDateString() === new Date(today).toDateString();
  return dtf(locale, !sameDay).format(t);
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
  const nf = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  if (h > 0) return translate(locale, 'duration.hms', { h, m: nf.format(m) });
  return translate(locale, 'duration.ms', { m, s: nf.format(s) });
}
