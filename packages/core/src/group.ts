import * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { META_KEY, Root, rootMap } from './schema.ts';
import type { Actor, GroupKind, GroupMeta, IncidentInfo } from './schema.ts';
import { isId, parseMeta } from './validate.ts';

export interface StartGroupInput {
  id: string;
  kind: GroupKind;
  title: string;
  incident?: IncidentInfo | null;
  unitId: string;
  initiator: Actor;
  deviceTime: number;
  /** TPL-1: the template the group was started from. */
  templateId?: string;
}

/** GRP-1: starts a group on the device, with no network: the id is made on the device. */
export function startGroup(doc: Y.Doc, input: StartGroupInput): GroupMeta {
  if (!isId(input.id)) throw new CommandError('bad-id', 'group id must be 1–64 letters, digits, - or _');
  const title = input.title.trim();
  if (!title) throw new CommandError('title-required', 'a group needs a title');
  const meta = rootMap(doc, Root.meta);
  if (meta.has(META_KEY)) throw new CommandError('already-started', 'this document already holds a group');
  const record: GroupMeta = {
    id: input.id,
    kind: input.kind,
    title,
    incident: input.incident ?? null,
    unitId: input.unitId,
    initiator: input.initiator,
    deviceTime: input.deviceTime,
  };
  if (input.templateId !== undefined) record.templateId = input.templateId;
  const parsed = parseMeta(record);
  if (!parsed || parsed.templateId !== record.templateId)
    throw new CommandError('bad-group', 'group record is not valid');
  meta.set(META_KEY, record);
  return record;
}

/** The group's meta record, or null while the document has not received it yet. */
export function readMeta(doc: Y.Doc): GroupMeta | null {
  return parseMeta(rootMap(doc, Root.meta).get(META_KEY));
}
