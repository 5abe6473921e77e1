/**
 * CLUE-4: unit names that tell units apart. Two sub-bureaus each have a "巡特警大队"; where a name is shared, it is
 * prefixed with the unit's sub-bureau (else its parent): "东城分局 巡特警大队". Unique names stay as they are.
 */
import type { Directory, Unit } from './directory.ts';

export type NameLanguage = 'zh' | 'en';

const nameIn = (u: Unit, lang: NameLanguage): string => (lang === 'en' ? u.nameEn : u.name);

/** Each unit's distinct name in a language, by unit id. */
export function distinctUnitNames(dir: Directory, lang: NameLanguage): Map<string, string> {
  const count = new Map<string, number>();
  for (const u of dir.data.units) count.set(nameIn(u, lang), (count.get(nameIn(u, lang)) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const u of dir.data.units) {
    const name = nameIn(u, lang);
    if ((count.get(name) ?? 0) < 2) {
      out.set(u.id, name);
      continue;
    }
    const sub = dir.subBureauOf(u.id);
    const above = sub && sub.id !== u.id ? sub : u.parentId ? dir.unit(u.parentId) : null;
    out.set(u.id, above ? `${nameIn(above, lang)}${lang === 'en' ? ', ' : ' '}${name}` : `${name} (${u.id})`);
  }
  return out;
}
