/**
 * INBOX-1/INBOX-2 on the relay (who may open an inbox, 4403 otherwise, is the policy's open rule): the server
 * writes the items (`server:inbox`, guarded as server-owned), a device writes only read markers (`reads`, the
 * policy's `INBOX_RECORD_ROOTS`): any other client write to an inbox is refused with a notice and not applied.
 * Reads the one update inspector; the inbox document is never copied.
 */
import { INBOX_RECORD_ROOTS, defineInboxRoots } from '@muster/core';
import { parseInboxDocName } from '@muster/protocol';
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
      return {
        code: 'inbox-read-only',
        message: `a device writes only read markers into its inbox (not ${other.join(', ')})`,
        report: true,
        resync: false,
      };
    },
  };
}
