/**
 * I18N-2: names that come from data (the directory's posts, the templates' incident types) in the interface's
 * language: the data carries both a Chinese and an English name; what officers wrote stays as written. Pure.
 */
import type { GroupTemplate, InboxItem } from '@muster/core';
import type { PostNames } from '../boardText.ts';

/** The text of an inbox item: for an invitation or escalation, the post's name in the language shown. */
export function inboxItemText(item: InboxItem, dir: PostNames, locale: string): string {
  if (locale !== 'en' || !item.postId || !['invitation', 'escalation', 'withdrawn'].includes(item.kind))
    return item.text;
  return dir.post(item.postId)?.nameEn || item.text;
}

/** An incident type as stored on the group (a template's name or its type key), in the language shown. */
export function incidentTypeLabel(type: string, templates: readonly GroupTemplate[], locale: string): string {
  const tpl = templates.find((t) => t.name === type || t.incidentType === type);
  if (!tpl) return type;
  return locale === 'en' ? tpl.nameEn || tpl.name : tpl.name;
}
