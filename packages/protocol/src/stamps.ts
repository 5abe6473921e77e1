/**
 * Server stamps of trusted time. The relay writes them into the server-owned part of a group document,
 * keyed by the record they stamp (`collection/id`). Clients never write them.
 */

/** Prefix of root types in a group Y.Doc that only the server writes. */
export const SERVER_ROOT_PREFIX = 'server:';

/** Root Y.Map of stamps: key `collection/id` → Stamp. */
export const STAMPS_ROOT = 'server:stamps';

export interface Stamp {
  /** Server time, ms since the Unix epoch. */
  at: number;
  /** Optional signature over the stamped fact (made unforgeable in later work). */
  sig?: string;
}

export function stampKey(collection: string, id: string): string {
  return `${collection}/${id}`;
}

export function isStamp(v: unknown): v is Stamp {
  if (typeof v !== 'object' || v === null) return false;
  const at = (v as { at?: unknown }).at;
  return typeof at === 'number' && Number.isFinite(at) && at > 0;
}
