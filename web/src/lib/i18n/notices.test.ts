import { beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '@muster/protocol';
import { loadCatalog, translate } from './format.ts';
import { refusedCount, refusedNoticeText } from './notices.ts';
import type { MessageKey } from './zh-CN.ts';

const zh = (key: MessageKey, params?: Record<string, string | number>) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params);

// BUDGET-1: English is a separate catalogue, loaded when chosen.
beforeAll(() => loadCatalog('en'));

describe('refused-records notice', () => {
  it('names how many records were not accepted and why, in both languages', () => {
    const notice: Notice = { kind: 'refused', code: 'impersonation', message: 'x', keys: ['entries/e1', 'entries/e2'] };
    expect(refusedCount(notice)).toBe(2);
    expect(refusedNoticeText(en, notice)).toBe(
      "Records not accepted by the server: 2. Reason: written in another person's name (impersonation)",
    );
    expect(refusedNoticeText(zh, notice)).toBe('服务器未接受 2 条记录：记录以其他人的名义写入（impersonation）');
  });

  it('LATE-1: a read-only notice on a closed group names the records cut out', () => {
    const notice: Notice = { kind: 'read-only', code: 'closed', message: 'x', keys: ['entries/e9'] };
    expect(refusedNoticeText(en, notice)).toBe(
      'Records not accepted by the server: 1. Reason: the collaboration is closed; work after reconnecting is not accepted (closed)',
    );
  });

  it('POL-16: a record over its size cap is named with a clear reason in both languages', () => {
    const notice: Notice = { kind: 'refused', code: 'too-large', message: 'x', keys: ['entries/e3'] };
    expect(refusedNoticeText(zh, notice)).toContain('记录超过服务器允许的大小');
    expect(refusedNoticeText(en, notice)).toContain('larger than the server accepts');
  });

  it('an unknown code still shows the count and the code', () => {
    const notice: Notice = { kind: 'refused', code: 'new-rule', message: 'x', keys: ['a/b'] };
    expect(refusedNoticeText(en, notice)).toBe(
      'Records not accepted by the server: 1. Reason: refused by the server (new-rule)',
    );
  });

  it('no banner without keys, or for other kinds of notice', () => {
    expect(refusedNoticeText(en, null)).toBeNull();
    expect(refusedNoticeText(en, { kind: 'refused', code: 'server-owned', message: 'x' })).toBeNull();
    expect(refusedNoticeText(en, { kind: 'refused', code: 'server-owned', message: 'x', keys: [] })).toBeNull();
    expect(refusedNoticeText(en, { kind: 'limit', code: 'rate', message: 'x', keys: ['a/b'] })).toBeNull();
  });
});
