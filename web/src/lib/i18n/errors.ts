import type { Params } from './format.ts';
import type { MessageKey } from './zh-CN.ts';

const KNOWN: Record<string, MessageKey> = {
  'title-required': 'error.title-required',
  'text-required': 'error.text-required',
  'text-too-long': 'error.text-too-long',
  'already-invited': 'error.already-invited',
  closed: 'error.closed',
  'reason-required': 'error.reason-required',
  'comment-required': 'error.comment-required',
  'summary-required': 'error.summary-required',
  'open-tasks': 'error.open-tasks',
  'no-invitation': 'error.no-invitation',
  'already-decided': 'error.already-decided',
};

/** A command error code (core `CommandError.code`) as a message in the interface language. */
export function errorMessage(t: (key: MessageKey, params?: Params) => string, code: string, message: string): string {
  const key = KNOWN[code];
  return key ? t(key) : t('error.generic', { message: message || code });
}
