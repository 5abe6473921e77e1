import { beforeAll, describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import {
  formatDateTime,
  formatDuration,
  formatList,
  formatTime,
  loadCatalog,
  translate,
  translatePlural,
} from './format.ts';

// BUDGET-1: English is a separate catalogue, loaded when chosen.
beforeAll(() => loadCatalog('en'));

describe('messages', () => {
  it('English has exactly the Chinese keys and the same parameters', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(params(en[k]), k).toEqual(params(zhCN[k]));
  });

  it('interpolates parameters', () => {
    expect(translate('zh-CN', 'sync.sending.other', { count: 3 })).toBe('正在发送 3 项更改');
    expect(translate('en', 'sync.sending.other', { count: 3 })).toBe('Sending 3 changes');
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

describe('times through Intl', () => {
  it('show hours 00–23 and the date only for other days, in both languages', () => {
    const today = new Date(2026, 4, 17, 12, 0, 0).getTime();
    const late = new Date(2026, 4, 17, 23, 59, 59).getTime();
    expect(formatTime('zh-CN', late, today)).toMatch(/^23:59:59$/);
    expect(formatTime('en', new Date(2026, 4, 17, 9, 1, 2).getTime(), today)).toMatch(/^09:01:02$/);
    const yesterday = new Date(2026, 4, 16, 8, 0, 0).getTime();
    expect(formatTime('zh-CN', yesterday, today)).toMatch(/^2026\/05\/16 08:00:00$/);
    expect(formatTime('en', yesterday, today)).toMatch(/^05\/16\/2026, 08:00:00$/);
    expect(formatDateTime('zh-CN', late)).toMatch(/^2026\/05\/17 23:59:59$/);
  });

  it('an invalid time is refused', () => {
    expect(() => formatTime('zh-CN', Number.NaN)).toThrow(RangeError);
    expect(() => formatDateTime('en', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('interpolation', () => {
  it('fills every placeholder, repeated ones too, and leaves unknown ones as written', () => {
    const key = 'sync.sending.other' as const;
    expect(translate('en', key, {})).toBe('Sending {count} changes');
    expect(translate('en', key, { count: 0 })).toBe('Sending 0 changes');
    expect(translate('en', key, { count: 'a{count}b' })).toBe('Sending a{count}b changes');
    expect(translate('zh-CN', 'groups.title')).toBe(translate('zh-CN', 'groups.title', { x: 1 }));
  });
});

describe('I18N-3: lists and plurals through Intl', () => {
  it('joins names the language’s way', () => {
    expect(formatList('zh-CN', ['甲', '乙', '丙'])).toBe('甲、乙、丙');
    expect(formatList('en', ['A', 'B', 'C'])).toBe('A, B, and C');
    expect(formatList('en', ['A'])).toBe('A');
  });

  it('takes the plural form the language has for the count', () => {
    expect(translatePlural('en', 'clue.remind', 1)).toBe('Remind the one who has not acknowledged');
    expect(translatePlural('en', 'clue.remind', 3)).toBe('Remind the 3 who have not acknowledged');
    expect(translatePlural('zh-CN', 'clue.remind', 3)).toBe('催办未确认的 3 人');
    // "Sending 1 changes" no more
    expect(translatePlural('en', 'sync.sending', 1)).toBe('Sending 1 change');
    expect(translatePlural('en', 'sync.sending', 2)).toBe('Sending 2 changes');
    expect(translatePlural('en', 'groups.entries', 1)).toBe('1 entry');
  });
});
