import type { Entry } from '@muster/core';

/** The line of text a timeline entry shows (findings in #2; the other kinds arrive with #3). */
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
