import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { inboxItemId, inboxItems } from '@muster/core';
import type { Delivery } from '@muster/core';
import { inboxDocName } from '@muster/protocol';
import { silentLogger } from '../log.ts';
import type { DocumentHandle } from '../relay/types.ts';
import { InboxWriter } from './inboxWriter.ts';
import type { DocumentAccess } from './types.ts';

/** Inbox documents held in memory; counts how often each is loaded. */
function docsInMemory() {
  const docs = new Map<string, Y.Doc>();
  const loads: string[] = [];
  const access: DocumentAccess = {
    async withDocument(name, fn) {
      loads.push(name);
      let doc = docs.get(name);
      if (!doc) docs.set(name, (doc = new Y.Doc()));
      const handle: DocumentHandle = {
        name,
        doc,
        awareness: new Awareness(doc),
        connections: new Set(),
        afterCommit: (fn) => fn(),
        auditWithCommit: () => {},
        registerWithCommit: () => {},
      };
      return fn(handle);
    },
  };
  return { docs, loads, access };
}

const delivery = (personId: string, n: number): Delivery => ({
  personId,
  item: {
    id: inboxItemId('invitation', 'g-h6', `inv${n}`),
    kind: 'invitation',
    groupId: 'g-h6',
    groupTitle: 'Fictional group',
    refId: `inv${n}`,
    text: 'invited',
    at: 1_000 + n,
  },
});

describe('HIST-6: the delivered-items memory is a bounded LRU', () => {
  it('never remembers more than its limit however many items are delivered', async () => {
    const mem = docsInMemory();
    const writer = new InboxWriter(() => mem.access, silentLogger, { deliveredLimit: 10 });
    for (let n = 0; n < 50; n++) await writer.deliver([delivery('demo016', n)]);
    expect(writer.rememberedDeliveries).toBe(10);
    expect(inboxItems(mem.docs.get(inboxDocName('demo016'))!)).toHaveLength(50);
  });

  it('skips recent deliveries without loading the inbox; a forgotten one is written again and changes nothing', async () => {
    const mem = docsInMemory();
    const writer = new InboxWriter(() => mem.access, silentLogger, { deliveredLimit: 3 });
    for (let n = 0; n < 3; n++) await writer.deliver([delivery('demo016', n)]);
    // Item 0 is used again, so item 1 is now the least recently used and the next delivery evicts it.
    await writer.deliver([delivery('demo016', 0)]);
    await writer.deliver([delivery('demo016', 3)]);
    mem.loads.length = 0;
    await writer.deliver([delivery('demo016', 0), delivery('demo016', 2), delivery('demo016', 3)]);
    expect(mem.loads).toEqual([]);
    await writer.deliver([delivery('demo016', 1)]);
    expect(mem.loads).toEqual([inboxDocName('demo016')]);
    const items = inboxItems(mem.docs.get(inboxDocName('demo016'))!).map((e) => e.item.refId);
    expect(items.sort()).toEqual(['inv0', 'inv1', 'inv2', 'inv3']);
  });
});
