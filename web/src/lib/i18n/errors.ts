import type { CommandErrorCode } from '@muster/core';
import type { Params } from './format.ts';
import type { MessageKey } from './zh-CN.ts';

/**
 * UX-9: a message for every core command error code. Typed over core's whole list, so a code added to core without
 * a message here does not compile.
 */
const COMMAND: Record<CommandErrorCode, MessageKey> = {
  'addressee-required': 'error.addressee-required',
  'already-decided': 'error.already-decided',
  'already-invited': 'error.already-invited',
  'already-started': 'error.already-started',
  'bad-ack': 'error.bad-ack',
  'bad-approval': 'error.bad-approval',
  'bad-close': 'error.bad-close',
  'bad-lesson': 'error.bad-lesson',
  'bad-clue': 'error.bad-clue',
  'bad-decision': 'error.bad-decision',
  'bad-fields': 'error.bad-fields',
  'bad-group': 'error.bad-group',
  'bad-hold': 'error.bad-hold',
  'bad-id': 'error.bad-id',
  'bad-ids': 'error.bad-ids',
  'bad-instruction': 'error.bad-instruction',
  'bad-invitation': 'error.bad-invitation',
  'bad-location': 'error.bad-location',
  'bad-photo': 'error.bad-photo',
  'bad-post': 'error.bad-post',
  'bad-push': 'error.bad-push',
  'bad-question': 'error.bad-question',
  'bad-reminder': 'error.bad-reminder',
  'bad-supervision': 'error.bad-supervision',
  'bad-task': 'error.bad-task',
  'bad-task-event': 'error.bad-task-event',
  closed: 'error.closed',
  'comment-required': 'error.comment-required',
  'duplicate-id': 'error.duplicate-id',
  'no-answer': 'error.no-answer',
  'no-approval': 'error.no-approval',
  'no-group': 'error.no-group',
  'no-invitation': 'error.no-invitation',
  'no-task': 'error.no-task',
  'not-ackable': 'error.not-ackable',
  'not-allowed': 'error.not-allowed',
  'not-closed': 'error.not-closed',
  'open-tasks': 'error.open-tasks',
  'reason-required': 'error.reason-required',
  sealed: 'error.sealed',
  'summary-required': 'error.summary-required',
  'target-required': 'error.target-required',
  'text-required': 'error.text-required',
  'text-too-long': 'error.text-too-long',
  'title-required': 'error.title-required',
  'too-long': 'error.too-long',
  'too-many-photos': 'error.too-many-photos',
};

/** Codes the web app itself reports. */
const WEB: Record<string, MessageKey> = {
  'not-logged-in': 'error.not-logged-in',
};

/** The message of a code, or null when it is not a known code. */
export function knownErrorKey(code: string): MessageKey | null {
  return (Object.hasOwn(COMMAND, code) ? COMMAND[code as CommandErrorCode] : WEB[code]) ?? null;
}

/** A command error code (core `CommandError.code`) as a message in the interface language. */
export function errorMessage(t: (key: MessageKey, params?: Params) => string, code: string, message: string): string {
  const key = knownErrorKey(code);
  return key ? t(key) : t('error.generic', { message: message || code });
}
