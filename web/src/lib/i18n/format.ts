/** Locale-aware formatting of times and durations, plus message interpolation. Pure: tested in Node. */
import { en } from './en.ts';
import { zhCN, type MessageKey, type Messages } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

/** Templates split once at their `{name}` placeholders (odd indices are names): a list row interpolates several. */
const splitCache = new Map<string, string[]>();

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key] ?? zhCN[key] ?? key;
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

/*
 * Times are formatted by hand, not through Intl.DateTimeFormat: the first Intl object a fresh page creates loads
 * ICU data (40–150 ms measured in headless Chromium), which sat on the critical path of the group list's first
 * render (every row shows a time). The patterns are what Chromium's Intl gives for these options
 * ({hour,minute,second}: '2-digit', hour12: false, plus {year: 'numeric', month/day: '2-digit'} with the date):
 * zh-CN `yyyy/MM/dd HH:mm:ss`, en `MM/dd/yyyy, HH:mm:ss`, hours 00–23, device time zone. Checked against Intl in
 * format.test.ts.
 */
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function localDate(t: number): Date {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid time value');
  return d;
}

function clock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function withDate(locale: Locale, d: Date): string {
  const y = String(d.getFullYear());
  const m = pad2(d.getMonth() + 1);
  const day = pad2(d.getDate());
  return locale === 'en' ? `${m}/${day}/${y}, ${clock(d)}` : `${y}/${m}/${day} ${clock(d)}`;
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
  const d = localDate(t);
  return sameLocalDay(t, today) ? clock(d) : withDate(locale, d);
}

export function formatDateTime(locale: Locale, t: number): string {
  return withDate(locale, localDate(t));
}

/** A duration for countdowns ("7 分 05 秒" / "7 min 05 s"); sign is dropped. */
export function formatDuration(locale: Locale, ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return translate(locale, 'duration.hms', { h, m: pad2(m) });
  return translate(locale, 'duration.ms', { m, s: pad2(s) });
}
