import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { formatDateTime, formatDuration, formatTime, translate } from './format.ts';

describe('messages', () => {
  it('English has exactly the Chinese keys and the same parameters', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(params(en[k]), k).toEqual(params(zhCN[k]));
  });

  it('interpolates parameters', () => {
    expect(translate('zh-CN', 'sync.sending', { count: 3 })).toBe('正在发送 3 项更改');
    expect(translate('en', 'sync.sending', { count: 3 })).toBe('Sending 3 changes');
  });
});

describe('Intl formatting', () => {
  it('formats countdowns in both languages', () => {
    expect(formatDuration('zh-CN', 7 * 60_000 + 5_000)).toBe('7 分 05 秒');
    expect(formatDuration('en', -(61 * 60_000))).toBe('1 h 01 min');
  });

  it('shows the date only for other days', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(formatTime('en', t, t)).not.toMatch(/2026/);
    expect(formatTime('en', t, t + 3 * 86_400_000)).toMatch(/2026/);
  });
});

describe('times by hand', () => {
  const intl = (locale: string, t: number, date: boolean) =>
    new Intl.DateTimeFormat(locale, {
      ...(date ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    })
      .format(t)
      // Chromium gives hours 00–23 for hour12: false; some Node ICU builds give `24` for the midnight hour in en.
      .replace(/(^|\s)24:/, '$100:');

  it('match Intl.DateTimeFormat in both languages, with and without the date', () => {
    const today = new Date(2026, 4, 17, 12, 0, 0).getTime();
    const times = [
      new Date(2026, 4, 17, 0, 0, 0).getTime(),
      new Date(2026, 4, 17, 0, 5, 7).getTime(),
      new Date(2026, 4, 17, 9, 1, 2).getTime(),
      new Date(2026, 4, 17, 23, 59, 59, 999).getTime(),
      new Date(2026, 4, 16, 23, 59, 59).getTime(),
      new Date(2026, 4, 18, 0, 0, 0).getTime(),
      new Date(2025, 11, 31, 13, 14, 15).getTime(),
      new Date(2026, 0, 1, 0, 0, 1).getTime(),
      Date.UTC(2026, 2, 29, 1, 30, 0),
    ];
    for (let h = 0; h < 24; h++) times.push(new Date(2026, 6, 4, h, (h * 7) % 60, (h * 13) % 60).getTime());
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const t of times) {
        const sameDay = new Date(t).toDateString() === new Date(today).toDateString();
        expect(formatTime(locale, t, today), `${locale} ${t}`).toBe(intl(locale, t, !sameDay));
        expect(formatDateTime(locale, t), `${locale} ${t}`).toBe(intl(locale, t, true));
      }
    }
  });

  it('an invalid time is refused as Intl refuses it', () => {
    expect(() => formatTime('zh-CN', Number.NaN)).toThrow(RangeError);
    expect(() => formatDateTime('en', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('interpolation', () => {
  it('fills every placeholder, repeated ones too, and leaves unknown ones as written', () => {
    const key = 'sync.sending' as const;
    expect(translate('en', key, {})).toBe('Sending {count} changes');
    expect(translate('en', key, { count: 0 })).toBe('Sending 0 changes');
    expect(translate('en', key, { count: 'a{count}b' })).toBe('Sending a{count}b changes');
    expect(translate('zh-CN', 'groups.title')).toBe(translate('zh-CN', 'groups.title', { x: 1 }));
  });
});
