import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Directory, META_KEY, Root } from '@muster/core';
import { parseDirectoryJson } from '../directory/directoryFile.ts';
import type { GroupFacts } from '@muster/core';
import { inspectUpdate } from '../relay/inspectUpdate.ts';
import { checkAllRecords } from './updateRules.ts';

const city = readFileSync(new URL('../../../packages/core/demo/city.json', import.meta.url), 'utf8');
const parsed = parseDirectoryJson(city, 'city.json');
if (!parsed.ok) throw new Error('demo city does not parse');
const dir = new Directory(parsed.directory);
const T = 1_767_300_000_000;
const actor = (id: string) => ({ personId: id, name: dir.person(id)!.name });

/**
 * The server's document of a group of 东湖派出所 (east) that 西城分局's duty leader (demo023, p-w-leader, which
 * does not oversee it) supervises: a supervision the relay accepted, e.g. before the directory was re-imported.
 */
function serverDoc(refused: boolean): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap(Root.meta).set(META_KEY, {
      id: 'g-sup',
      kind: 'incident',
      title: 'T',
      incident: null,
      unitId: 'st-e1',
      initiator: actor('demo016'),
      deviceTime: T,
    });
    doc
      .getMap(Root.supervisions)
      .set('sup-1', { id: 'sup-1', postId: 'p-w-leader', by: actor('demo023'), deviceTime: T });
    if (refused) doc.getMap(Root.refusals).set(`${Root.supervisions}/sup-1`, { code: 'not-a-leader', at: T });
  });
  return doc;
}

/** The registry's facts: no supervising posts (the registry does not hold them). */
const registry: GroupFacts = {
  initiator: 'demo016',
  unitId: 'st-e1',
  posts: new Set(),
  persons: new Set(['demo023']),
  addressedPosts: new Set(),
};

function instructionFrom(doc: Y.Doc): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(client);
  client.getMap(Root.entries).set('ins-1', {
    id: 'ins-1',
    type: 'instruction',
    text: '抓紧核查',
    to: [{ kind: 'person', id: 'demo016', name: dir.person('demo016')!.name }],
    postId: 'p-w-leader',
    author: actor('demo023'),
    deviceTime: T,
  });
  return Y.encodeStateAsUpdate(client, before);
}

function check(doc: Y.Doc) {
  const ins = inspectUpdate(doc, Y.decodeUpdate(instructionFrom(doc)));
  const asker = { sub: 'demo023', unitId: 'sb-w', roles: ['leader'] };
  return checkAllRecords(ins, { asker, membership: registry, doc, directory: dir });
}

describe('POL-6: the relay judges a leader acting from a supervising post as a device does', () => {
  it('an instruction from the post of an accepted supervision is allowed on the relay', () => {
    expect(check(serverDoc(false)).map((v) => v.message)).toEqual([]);
  });

  it('an instruction from the post of a refused supervision is refused (not-a-leader)', () => {
    expect(check(serverDoc(true)).map((v) => v.code)).toEqual(['not-a-leader']);
  });
});
