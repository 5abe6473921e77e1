/**
 * Chinese (Simplified) messages: the default language. Keys are the message ids; `{name}` marks a parameter. The
 * messages live by area in `zh-CN/`, each with its English twin in `en/` (the same keys: the compiler checks each
 * area, `format.test.ts` the whole).
 */
import { shell } from './zh-CN/shell.ts';
import { groups } from './zh-CN/groups.ts';
import { notices } from './zh-CN/notices.ts';
import { work } from './zh-CN/work.ts';
import { closing } from './zh-CN/closing.ts';
import { audit } from './zh-CN/audit.ts';
import { stats } from './zh-CN/stats.ts';
import { assistant } from './zh-CN/assistant.ts';
import { review } from './zh-CN/review.ts';

export const zhCN = {
  ...shell,
  ...groups,
  ...notices,
  ...work,
  ...closing,
  ...audit,
  ...stats,
  ...assistant,
  ...review,
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
