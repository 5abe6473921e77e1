/**
 * Refuses client updates that touch the server-owned part of a document (see serverOwned.ts). An inbox document is
 * the inbox extension's to judge (it refuses any client write but read markers, HIST-8: whole, so that a stale
 * copy's read markers of archived items never reach the live inbox).
 */
import { parseInboxDocName } from '@muster/protocol';
import type { Extension } from '../extension.ts';
import { checkClientUpdate } from './serverOwned.ts';

export function serverOwnedGuard(): Extension {
  return {
    name: 'server-owned-guard',
    phase: 'inspect',
    beforeApply({ document, decoded }) {
      const r = checkClientUpdate(document.doc, decoded);
      if (r.ok) return null;
      if (r.code === 'out-of-order') {
        return { code: r.code, message: r.detail, report: false, resync: true };
      }
      if (parseInboxDocName(document.name) !== null) return null;
      // REQ-2: only the offending items and deletions are dropped; the rest of the update is applied.
      return {
        code: 'server-owned',
        message: `only the server writes server-owned data (${r.detail})`,
        report: true,
        resync: false,
        drop: { items: r.items, deletes: r.deletes, keys: [] },
      };
    },
  };
}
