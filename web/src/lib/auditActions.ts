/** AUDIT-4: the audit actions the audit page offers as a filter and names in words (others show as their code). */
import type { MessageKey } from './i18n/zh-CN.ts';

export const AUDIT_ACTIONS = [
  'group-open',
  'photo-read',
  'groups-listed',
  'directory-read',
  'record-view',
  'record-print',
  'audit-read',
  'login',
  'login-failed',
  'login-locked',
  'logout',
  'sessions-revoked',
  'access-refused',
  'group-created',
  'member-registered',
  'update-refused',
  'sign-off',
  'attested-verdict',
  'late-received',
  'decision-request',
  'close-request',
  'reminder',
  'legal-hold',
  'limit-exceeded',
  'clock-moved',
  'lookup',
  'lookup-reveal',
] as const;

export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];

export function auditActionKey(action: string): MessageKey | null {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? (`audit.act.${action}` as MessageKey) : null;
}
