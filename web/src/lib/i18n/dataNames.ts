/**
 * I18N-2: names that come from data (the directory's posts, the templates' incident types) in the interface's
 * language: the data carries both a Chinese and an English name; what officers wrote stays as written. Pure.
 */
import { INCIDENT_TYPES } from '@muster/core';
import type { GroupTemplate, InboxItem, Post, Unit } from '@muster/core';

/** The directory's look-ups a name needs. */
export interface PostNames {
  post(id: string): Post | null;
  unit(id: string): Unit | null;
}

/**
 * The text of an inbox item: for an invitation or escalation, the post's name in the language shown; for an
 * approval request, its type's name in the language shown (I18N-4, from the item's type id).
 */
export function inboxItemText(
  item: InboxItem,
  dir: PostNames,
  locale: string,
  approvalTypes: readonly { id: string; name: string; nameEn: string }[] = [],
): string {
  if (item.kind === 'approval' && item.approvalType) {
    const type = approvalTypes.find((x) => x.id === item.approvalType);
    return type ? (locale === 'en' ? type.nameEn : type.name) : item.text;
  }
  if (locale !== 'en' || !item.postId || !['invitation', 'escalation', 'withdrawn'].includes(item.kind))
    return item.text;
  return dir.post(item.postId)?.nameEn || item.text;
}

/** An incident type as stored on the group (a template's name or its type key), in the language shown. */
export function incidentTypeLabel(type: string, templates: readonly GroupTemplate[], locale: string): string {
  const tpl = templates.find((t) => t.name === type || t.incidentType === type);
  if (tpl) return locale === 'en' ? tpl.nameEn || tpl.name : tpl.name;
  // I18N-4: core's incident types, by id or Chinese name, when no template names it (none cached yet)
  const known = INCIDENT_TYPES.find((t) => t.id === type || t.name === type);
  if (!known) return type;
  return locale === 'en' ? known.nameEn : known.name;
}

/** A post as a record names it (invitation, board item), for `postLabel`. */
export interface PostLabelRef {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
}

/** Joins a unit's and a post's name, leaving the unit out where the post's name already carries it (UX-15). */
export function unitAndPost(unitName: string, postName: string): string {
  if (!unitName || postName.includes(unitName)) return postName;
  return `${unitName} · ${postName}`;
}

/**
 * I18N-2, UX-15: "unit · post" in the language shown (the directory's names, the record's own when the directory
 * does not know the post), without saying the unit twice ("东城分局 · 东城分局协同管理岗" reads "东城分局协同管理岗").
 */
export function postLabel(dir: PostNames, locale: string, ref: PostLabelRef): string {
  const p = dir.post(ref.id);
  const u = dir.unit(p?.unitId ?? ref.unitId);
  if (locale !== 'en') return unitAndPost(u?.name ?? ref.unitName, p?.name || ref.name);
  return unitAndPost(u?.nameEn ?? ref.unitName, p?.nameEn || ref.name);
}
