/** Form helpers of the group view: approval field errors, due times, closure refusals. Pure: tested in Node. */
import type { ApprovalType, FieldError, TaskView } from '@muster/core';
import type { MessageKey } from './i18n/zh-CN.ts';

/** The message key for a field error from core `validateApprovalFields`. */
export function fieldErrorKey(e: FieldError): MessageKey {
  if (e.message === 'required') return 'apr.invalid.required';
  if (e.message === 'must be a number') return 'apr.invalid.number';
  if (e.message.startsWith('must be a date')) return 'apr.invalid.date';
  if (e.message.startsWith('must be one of')) return 'apr.invalid.select';
  return 'apr.invalid.other';
}

/** Field errors by field name (the first per field). */
export function errorsByField(errors: readonly FieldError[]): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const e of errors) out[e.field] ??= e;
  return out;
}

/** Empty form values of an approval type (numbers as text until validated). */
export function emptyValues(type: ApprovalType): Record<string, string> {
  return Object.fromEntries(type.fields.map((f) => [f.name, '']));
}

/** Form values with empty optional fields left out, so they are not sent as blanks. */
export function filledValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
}

/**
 * A due time from a `datetime-local` input (device local time): null when empty, `invalid` when unparseable.
 */
export function parseDue(input: string): number | null | 'invalid' {
  const v = input.trim();
  if (!v) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return 'invalid';
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : 'invalid';
}

/** Titles of the open tasks that keep a group from closing (CLOSE-2). */
export function openTaskTitles(tasks: readonly TaskView[]): string[] {
  return tasks.filter((t) => t.state === 'open').map((t) => t.task.record.title);
}
