/**
 * AUDIT-6: what an auditor's device makes of the server's audit log against the checkpoint it witnessed earlier.
 * Pure: tested in Node.
 */
import type { AuditCheckpoint, AuditEntry } from '@muster/protocol';

export type WitnessState = 'unknown' | 'first' | 'holds' | 'truncated' | 'rewritten' | 'other-key';

/**
 * `saved`: the checkpoint this device kept; `head`: the server's latest; `row`: the server's row at `saved.seq`
 * (the first row at or below it), or null when it has none.
 */
export function judgeWitness(
  saved: AuditCheckpoint | null,
  head: AuditCheckpoint | null,
  row: Pick<AuditEntry, 'seq' | 'hash'> | null,
): WitnessState {
  if (!saved) return head ? 'first' : 'unknown';
  if (!head || head.seq < saved.seq) return 'truncated';
  if (head.keyId !== saved.keyId) return 'other-key';
  if (!row || row.seq !== saved.seq) return 'truncated';
  return row.hash === saved.hash ? 'holds' : 'rewritten';
}

/** Whether the device should keep `head` as its witness from now on (never after a bad verdict). */
export const keepsHead = (state: WitnessState): boolean => state === 'first' || state === 'holds';
