import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ERROR_CODES } from '@muster/core';
import type { Notice } from '@muster/protocol';
import { errorMessage, knownErrorKey } from './errors.ts';
import { loadCatalog, translate } from './format.ts';
import { noticeReason } from './notices.ts';
import type { MessageKey } from './zh-CN.ts';

const zh = (key: MessageKey, params?: Record<string, string | number>) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params);
const HAN = /[\u4e00-\u9fff]/;

// BUDGET-1: English is a separate catalogue, loaded when chosen.
beforeAll(() => loadCatalog('en'));

describe('UX-9 every error code and notice translated', () => {
  it('UX-9: each core command error code has its own message in zh-CN and English', () => {
    for (const code of COMMAND_ERROR_CODES) {
      expect(knownErrorKey(code), code).not.toBeNull();
      const z = errorMessage(zh, code, 'english server text');
      const e = errorMessage(en, code, 'english server text');
      expect(z, code).toMatch(HAN);
      expect(z, code).not.toContain('english server text');
      expect(e, code).not.toMatch(HAN);
      expect(e, code).not.toContain('english server text');
    }
  });

  it('UX-9: a notice never shows the server’s English text, known code or not', () => {
    const closed: Notice = { kind: 'read-only', code: 'closed', message: 'this group is closed: no changes' };
    expect(noticeReason(zh, closed)).toMatch(HAN);
    expect(noticeReason(zh, closed)).not.toContain('this group is closed');
    const refused: Notice = { kind: 'refused', code: 'not-allowed', message: 'you may not close this group' };
    expect(noticeReason(zh, refused)).toBe('您无权执行此操作');
    const unknown: Notice = { kind: 'limit', code: 'brand-new-code', message: 'something in English' };
    expect(noticeReason(zh, unknown)).toBe('服务器拒绝了此操作（brand-new-code）');
    expect(noticeReason(en, unknown)).toBe('The server refused this (brand-new-code)');
  });
});
