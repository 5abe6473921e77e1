/** The fictional demo city as test fixtures (tests only; not exported from index.ts). */
import * as Y from 'yjs';
import cityText from '../demo/city.json?raw';
import templatesText from '../demo/templates.json?raw';
import { Directory } from './directory.ts';
import { directoryFromObject } from './directoryImport.ts';
import { startGroupFromTemplate } from './oneTap.ts';
import type { Actor } from './schema.ts';
import { META_KEY, Root } from './schema.ts';
import { stampRecords, unstampedRefs } from './stamps.ts';
import { expandTemplate, parseTemplates } from './templates.ts';
import type { GroupTemplate } from './templates.ts';

export function demoDirectory(): Directory {
  const r = directoryFromObject(JSON.parse(cityText), 'city.json');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new Directory(r.directory);
}

export function demoTemplates(): GroupTemplate[] {
  const r = parseTemplates(JSON.parse(templatesText));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.templates;
}

export const T0 = 1_767_250_000_000;
export const SERVER = 'server-origin';

/** A station officer of 东湖派出所 (fictional). */
export const initiator: Actor = { personId: 'demo016', name: 'Initiator (fictional)' };

export function actorOf(dir: Directory, personId: string): Actor {
  const p = dir.person(personId);
  if (!p) throw new Error(`no person ${personId}`);
  return { personId: p.id, name: p.name };
}

/** Starts a group from a demo template at 东湖派出所 and, unless told otherwise, has the relay stamp it at T0. */
export function demoGroup(templateId = 'tpl-theft', stamp = true) {
  const dir = demoDirectory();
  const tpl = demoTemplates().find((t) => t.id === templateId)!;
  const exp = expandTemplate(tpl, dir, 'st-e1');
  if (!exp.ok) throw new Error(JSON.stringify(exp.errors));
  const doc = new Y.Doc();
  startGroupFromTemplate(doc, {
    group: { id: 'g-demo-1', kind: 'incident', title: 'Phone snatched', unitId: 'st-e1', initiator, deviceTime: T0 },
    expansion: exp.expansion,
    invitationIds: exp.expansion.posts.map((_, k) => `inv-${k}`),
  });
  if (stamp) stampAll(doc, T0);
  return { doc, dir, expansion: exp.expansion, metaKey: META_KEY, root: Root };
}

/** The relay stamps everything unstamped at `at`. */
export function stampAll(doc: Y.Doc, at: number): void {
  stampRecords(doc, unstampedRefs(doc), at, SERVER);
}
