import type { Entry } from '@muster/core';

/** I18N-4: the name of an approval type in the language shown (by its id), or null when unknown here. */
export type ApprovalTypeName = (approvalType: string) => string | null;

/**
 * The line of text a timeline entry shows: its text, a task's title or an approval's type (I18N-4: by its stored id
 * in the language shown when `approvalName` knows it, else the name stored with the record); empty for other kinds.
 */
export function entryText(entry: Entry, approvalName?: ApprovalTypeName): string {
  switch (entry.type) {
    case 'finding':
    case 'instruction':
    case 'clue':
      return entry.text;
    case 'task':
      return entry.title;
    case 'approval':
      return approvalName?.(entry.approvalType) ?? entry.typeName;
    default:
      return '';
  }
}
