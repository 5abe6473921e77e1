/**
 * ASSIST-11: the look-up assistant's display name, as an admin configured it on the server (`GET
 * /api/lookup/assistant`), in each language; the app shows the one of its language, and its own default (助手 /
 * Assistant) until the server has told it.
 */
import type { Locale } from './i18n/format.ts';

export interface AssistantName {
  zh: string;
  en: string;
}

const ok = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && [...v].length <= 20;

/** The name from the server's answer (or the cached copy), or null when it is not one. */
export function parseAssistantName(v: unknown): AssistantName | null {
  const name = typeof v === 'object' && v !== null ? (v as { name?: unknown }).name : undefined;
  if (typeof name !== 'object' || name === null) return null;
  const { zh, en } = name as { zh?: unknown; en?: unknown };
  return ok(zh) && ok(en) ? { zh: zh.trim(), en: en.trim() } : null;
}

/** The name shown in `locale`: the configured one, or the app's own default (`fallback`). */
export function assistantLabel(name: AssistantName | null, locale: Locale, fallback: string): string {
  if (!name) return fallback;
  return locale === 'en' ? name.en : name.zh;
}
