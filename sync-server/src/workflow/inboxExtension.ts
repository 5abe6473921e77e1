/**
 * INBOX-1/INBOX-2 on the relay (who may open an inbox, 4403 otherwise, is access/access.ts's rule): the server writes the items (`server:inbox`, guarded as server-owned), a device writes only read markers (`reads`):
 * any other client write to an inbox is refused with a notice and not applied.
 */
import * as Y from 'yjs';
import { InboxRoot, defineInboxRoots } from '@muster/core';
import { parseInboxDocName } from '@muster/protocol';
import type { Extension } from '../extension.ts';

/** Names of the root types an update would change in `doc` (applied to a copy, never to `doc`). */
export function rootsTouched(doc: Y.Doc, update: Uint8Array): Set<string> {
  const scratch = new Y.Doc({ gc: false });
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const touched = new Set<string>();
  scratch.on('afterTransaction', (tr: Y.Transaction) => {
    const names = new Map<unknown, string>();
    for (const [name, type] of scratch.share) names.set(type, name);
    for (const type of tr.changed.keys()) {
      let t: Y.AbstractType<any> = type; // eslint-disable-line @typescript-eslint/no-explicit-any
      while (t._item !== null) t = t._item.parent as Y.AbstractType<any>;
      touched.add(names.get(t) ?? '?');
    }
  });
  Y.applyUpdate(scratch, update);
  scratch.destroy();
  return touched;
}

export function inboxExtension(): Extension {
  return {
    name: 'inbox',
    onLoadDocument({ document }) {
      if (parseInboxDocName(document.name)) defineInboxRoots(document.doc);
    },
    beforeApply({ document, update }) {
      if (parseInboxDocName(document.name) === null) return null;
      const touched = rootsTouched(document.doc, update);
      const other = [...touched].filter((r) => r !== InboxRoot.reads);
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
