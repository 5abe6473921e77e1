import type { Entry } from '@muster/core';

/** The line of text a timeline entry shows: its text, a task's title or an approval's type; empty for other kinds. */
export function entryText(entry: Entry): string {
  switch (entry.type) {
    case 'finding':
    case 'instruction':
    case 'clue':
      return entry.text;
    case 'task':
      return entry.title;
    case 'approval':
      return entry.typeName;
    default:
      return '';
  }
}
