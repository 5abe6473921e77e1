/** English messages, by area in `en/` beside the Chinese ones in `zh-CN/`. */
import type { Messages } from './zh-CN.ts';
import { shell } from './en/shell.ts';
import { groups } from './en/groups.ts';
import { notices } from './en/notices.ts';
import { work } from './en/work.ts';
import { closing } from './en/closing.ts';
import { audit } from './en/audit.ts';
import { stats } from './en/stats.ts';
import { assistant } from './en/assistant.ts';
import { review } from './en/review.ts';

export const en: Messages = {
  ...shell,
  ...groups,
  ...notices,
  ...work,
  ...closing,
  ...audit,
  ...stats,
  ...assistant,
  ...review,
};
