/** How a board item reads: its countdown and its post label (both the board page and the desk rail). Pure. */
import type { BoardItem } from './board.ts';
import type { Params } from './i18n/format.ts';
import type { MessageKey } from './i18n/zh-CN.ts';
import { postLabel, type PostNames } from './i18n/dataNames.ts';

type T = (key: MessageKey, params?: Params) => string;

/** "剩余 4 分钟" / "已超时 2 分钟" / "等待服务器登记". */
export function boardWhen(t: T, duration: (ms: number) => string, i: BoardItem): string {
  if (i.remainingMs === null) return t('board.pending');
  const time = duration(i.remainingMs);
  return i.remainingMs < 0 ? t('board.overdue', { time }) : t('board.left', { time });
}

export type { PostNames };

/** "Unit · Post" in the language shown, the unit said once (`postLabel`). */
export function boardLabel(dir: PostNames, locale: string, i: BoardItem): string {
  const unitId = dir.post(i.postId)?.unitId ?? '';
  return postLabel(dir, locale, { id: i.postId, name: i.postName, unitId, unitName: i.unitName });
}
