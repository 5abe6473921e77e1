import type { GroupHandle } from './connections.svelte.ts';

/**
 * Resolves true as soon as `pred` holds for the group's document (checked now and after each update), or with
 * `pred()`'s value once `ms` have passed. Used by acts that wait for the relay's answer (a stamp, a decision).
 */
export function waitForDoc(h: GroupHandle, ms: number, pred: () => boolean): Promise<boolean> {
  if (pred()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(timer);
      h.doc.off('update', check);
      resolve(v);
    };
    const check = () => {
      if (pred()) done(true);
    };
    const timer = setTimeout(() => done(pred()), ms);
    h.doc.on('update', check);
  });
}
