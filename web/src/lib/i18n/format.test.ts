import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { formatDuration, formatTime, translate } from './format.ts';

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
