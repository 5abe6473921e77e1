/**
 * INBOX-1/INBOX-2 on the relay (who may open an inbox, 4403 otherwise, is the policy's open rule): the server
 * writes the items (`server:inbox`, guarded as server-owned), a device writes only read markers (`reads`, the
 * policy's `INBOX_RECORD_ROOTS`): any other client write to an inbox is refused with a notice and not applied.
 * HIST-8: items in `server:inbox` a device sends are its copy of an inbox the relay has since archived (rebuilt
 * without settled items): refused with `inbox-stale`, which tells the device to start its copy over.
 * Reads the one update inspector; the inbox document is never copied.
 */
import { INBOX_RECORD_ROOTS, defineInboxRoots } from '@muster/core';
import { INBOX_ROOT, INBOX_STALE, parseInboxDocName } from '@muster/protocol';
import type { Extension } from '../extension.ts';
import { inspectUpdate } from '../relay/inspectUpdate.ts';

export function inboxExtension(): Extension {
  return {
    name: 'inbox',
    phase: 'inspect',
    onLoadDocument({ document }) {
      if (parseInboxDocName(document.name)) defineInboxRoots(document.doc);
    },
    beforeApply({ document, decoded }) {
      if (parseInboxDocName(document.name) === null) return null;
      const ins = inspectUpdate(document.doc, decoded);
      const other = [...ins.roots].filter((r) => !INBOX_RECORD_ROOTS.includes(r));
      if (other.length === 0) return null;
      if (other.includes(INBOX_ROOT)) {
        // HIST-8: items the server does not hold: the device's copy is of an inbox since archived (rebuilt). The
        // device starts its copy over when told; nothing is applied, and it is no misdeed (no audit row).
        return {
          code: INBOX_STALE,
          message: 'this inbox was archived: start it over from the server',
          report: true,
          resync: false,
          audit: false,
        };
      }
      return {
        code: 'inbox-read-only',
        message: `a device writes only read markers into its inbox (not ${other.join(', ')})`,
        report: true,
        resync: false,
      };
    },
  };
}
