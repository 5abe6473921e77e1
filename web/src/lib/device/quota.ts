/** STORE-2: recognising a full device store. Pure: tested in Node. */

/** True for a QuotaExceededError, as thrown by IndexedDB or wrapped by Dexie (`inner`, `failures`). */
export function isQuotaError(e: unknown, depth = 0): boolean {
  if (depth > 4 || e === null || typeof e !== 'object') return false;
  const err = e as { name?: unknown; inner?: unknown; failures?: unknown; cause?: unknown };
  if (err.name === 'QuotaExceededError') return true;
  if (isQuotaError(err.inner, depth + 1) || isQuotaError(err.cause, depth + 1)) return true;
  return Array.isArray(err.failures) && err.failures.some((f) => isQuotaError(f, depth + 1));
}

/** Bytes a text takes in the device store, with room for the CRDT and index overhead. */
export function estimatedWriteBytes(text: string): number {
  return new TextEncoder().encode(text).length * 2 + 4096;
}

/** Whether a write of `bytes` fits the reported estimate; unknown figures never block a write. */
export function fits(bytes: number, estimate: { usage?: number; quota?: number } | null): boolean {
  if (!estimate || estimate.quota === undefined || estimate.usage === undefined) return true;
  return estimate.usage + bytes <= estimate.quota;
}
