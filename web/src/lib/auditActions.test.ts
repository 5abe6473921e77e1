import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionKey } from './auditActions.ts';
import { en } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

describe('AUDIT-4: audit actions named in words', () => {
  it('ATT-3 LATE-2: attested verdicts and work received after closure are offered as filters, named in both languages', () => {
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(['attested-verdict', 'late-received']));
    for (const action of AUDIT_ACTIONS) {
      const key = auditActionKey(action)!;
      expect(zhCN[key], action).toBeTruthy();
      expect(en[key], action).toBeTruthy();
    }
    expect(auditActionKey('no-such-action')).toBeNull();
  });
});
