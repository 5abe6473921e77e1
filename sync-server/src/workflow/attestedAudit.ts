/**
 * ATT-3: each verdict judged on an attested time is audited once, when its sign-off arrives (after stamping; AUDIT-7:
 * in the same transaction as the sign-off's update): who
 * sent it, the sign-off, its attested time and arrival, the verdict, and the escalation it withdrew.
 */
import { attestedVerdicts } from '@muster/core';
import type { DeadlinePolicy } from '@muster/core';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { DocumentHandle } from '../relay/types.ts';

/** Audits the attested verdicts of the sign-offs `signOffIds` (just arrived); returns how many. */
export function auditAttestedVerdicts(
  audit: Auditor,
  document: DocumentHandle,
  actor: string,
  signOffIds: ReadonlySet<string>,
  policy?: DeadlinePolicy,
): number {
  if (signOffIds.size === 0) return 0;
  let n = 0;
  for (const v of attestedVerdicts(document.doc, policy)) {
    if (!signOffIds.has(v.signOffId)) continue;
    audit.withCommit(document, {
      action: AuditAction.attestedVerdict,
      actor,
      docName: document.name,
      detail: { ...v },
    });
    n++;
  }
  return n;
}
