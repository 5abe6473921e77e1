/**
 * ATT-3: each verdict judged on an attested time is audited once, when its sign-off arrives (after stamping): who
 * sent it, the sign-off, its attested time and arrival, the verdict, and the escalation it withdrew.
 */
import type * as Y from 'yjs';
import { attestedVerdicts } from '@muster/core';
import type { DeadlinePolicy } from '@muster/core';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';

/** Audits the attested verdicts of the sign-offs `signOffIds` (just arrived); returns how many. */
export function auditAttestedVerdicts(
  audit: Auditor,
  doc: Y.Doc,
  docName: string,
  actor: string,
  signOffIds: ReadonlySet<string>,
  policy?: DeadlinePolicy,
): number {
  if (signOffIds.size === 0) return 0;
  let n = 0;
  for (const v of attestedVerdicts(doc, policy)) {
    if (!signOffIds.has(v.signOffId)) continue;
    audit.note({ action: AuditAction.attestedVerdict, actor, docName, detail: { ...v } });
    n++;
  }
  return n;
}
