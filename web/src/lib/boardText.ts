/** How a board item reads: its countdown and its post label (both the board page and the desk rail). Pure. */
import type { Post, Unit } from '@muster/core';
import type { BoardItem } from './board.ts';
import type { Params } from './i18n/format.ts';
import type { MessageKey } from './i18n/zh-CN.ts';

type T = (key: MessageKey, params?: Params) => string;

/** "剩余 4 分钟" / "已超时 2 分钟" / "等待服务器登记". */
export function boardWhen(t: T, duration: (ms: number) => string, i: BoardItem): string {
  if (i.remainingMs === null) return t('board.pending');
  const time = duration(i.remainingMs);
  return i.remainingMs < 0 ? t('board.overdue', { time }) : t('board.left', { time });
}

export interface PostNames {
  post(id: string): Post | null;
  unit(id: string): Unit | null;
}

/** "Unit · Post", in English from the directory's English names when the interface is in English. */
export function boardLabel(dir: PostNames, locale: string, i: BoardItem): string {
  const p = dir.post(i.postId);
  if (locale !== 'en' || !p) return `${i.unitName} · ${i.postName}`;
  return `${dir.unit(p.unitId)?.nameEn ?? i.unitName} · ${p.nameEn}`;
}
