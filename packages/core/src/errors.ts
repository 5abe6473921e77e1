/**
 * Every code a command may refuse with. The interface localises each (web `errors.ts` maps this whole list, so a
 * code added here without a message there fails to compile: UX-9).
 */
export const COMMAND_ERROR_CODES = [
  'addressee-required',
  'already-decided',
  'already-invited',
  'already-started',
  'bad-ack',
  'bad-approval',
  'bad-close',
  'bad-lesson',
  'bad-clue',
  'bad-decision',
  'bad-fields',
  'bad-group',
  'bad-hold',
  'bad-id',
  'bad-ids',
  'bad-instruction',
  'bad-invitation',
  'bad-location',
  'bad-photo',
  'bad-post',
  'bad-push',
  'bad-question',
  'bad-reminder',
  'bad-supervision',
  'bad-task',
  'bad-task-event',
  'closed',
  'comment-required',
  'duplicate-id',
  'no-answer',
  'no-approval',
  'no-group',
  'no-invitation',
  'no-task',
  'not-ackable',
  'not-allowed',
  'not-closed',
  'open-tasks',
  'reason-required',
  'sealed',
  'summary-required',
  'target-required',
  'text-required',
  'text-too-long',
  'title-required',
  'too-long',
  'too-many-photos',
] as const;

export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

/** A command refused because its input breaks a rule; `code` is stable for the interface to localise. */
export class CommandError extends Error {
  readonly code: CommandErrorCode;
  constructor(code: CommandErrorCode, message: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
  }
}
