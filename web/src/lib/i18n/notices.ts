/** REQ-2 / LATE-1: a relay notice naming refused records, as a message in the interface language. */
import type { Notice } from '@muster/protocol';
import type { Params } from './format.ts';
import type { MessageKey } from './zh-CN.ts';
import { knownErrorKey } from './errors.ts';

const REASONS: Record<string, MessageKey> = {
  'server-owned': 'notice.reason.server-owned',
  impersonation: 'notice.reason.impersonation',
  'write-once': 'notice.reason.write-once',
  'not-on-duty': 'notice.reason.not-on-duty',
  'may-not-invite': 'notice.reason.may-not-invite',
  closed: 'notice.reason.closed',
  sealed: 'notice.reason.sealed',
  'read-only': 'notice.reason.read-only',
  'too-large': 'notice.reason.too-large',
  'unknown-root': 'notice.reason.unknown-root',
  'unknown-kind': 'notice.reason.unknown-kind',
  'bad-record': 'notice.reason.bad-record',
  'not-invited': 'notice.reason.not-invited',
  'foreign-unit': 'notice.reason.foreign-unit',
  'not-a-leader': 'notice.reason.not-a-leader',
  'foreign-addressee': 'notice.reason.foreign-addressee',
  'not-your-task': 'notice.reason.not-your-task',
  'may-not-assign': 'notice.reason.may-not-assign',
  'no-task': 'notice.reason.no-task',
};

/** LATE-1/LATE-3: the reason for a refused record, translated. */
export function refusedReason(t: (key: MessageKey, params?: Params) => string, code: string): string {
  return t(REASONS[code] ?? 'notice.reason.other');
}

/** How many records a `refused` or `read-only` notice names (0: it names none, so there is no banner). */
export function refusedCount(notice: Notice | null): number {
  if (!notice || (notice.kind !== 'refused' && notice.kind !== 'read-only')) return 0;
  return notice.keys?.length ?? 0;
}

/** The banner text for a notice naming refused records, or null when the notice names none. */
export function refusedNoticeText(
  t: (key: MessageKey, params?: Params) => string,
  notice: Notice | null,
): string | null {
  const count = refusedCount(notice);
  if (!notice || count === 0) return null;
  const reason = t(REASONS[notice.code] ?? 'notice.reason.other');
  return t('notice.refusedRecords', { count, reason, code: notice.code || notice.kind });
}

/**
 * UX-9: the reason of any notice in the interface language: a refusal reason, else a command error's message, else
 * a translated sentence naming the code. The server's English text is never shown.
 */
export function noticeReason(t: (key: MessageKey, params?: Params) => string, notice: Notice): string {
  const key = REASONS[notice.code] ?? knownErrorKey(notice.code);
  return key ? t(key) : t('notice.reason.generic', { code: notice.code || notice.kind });
}
