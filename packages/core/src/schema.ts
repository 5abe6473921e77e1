/**
 * The layout of a group document. Device-written records live in root Y.Maps keyed by an id made on the
 * device; each value is a plain JSON record written once. Server-owned root types carry the `server:` prefix
 * and are written by the relay only.
 */
import * as Y from 'yjs';
import { STAMPS_ROOT } from '@muster/protocol';
import type { Stamp } from '@muster/protocol';

export const Root = {
  meta: 'meta',
  entries: 'entries',
  invitations: 'invitations',
  signoffs: 'signoffs',
  stamps: STAMPS_ROOT,
} as const;

/** Device-written collections whose records the server stamps. */
export const STAMPED_COLLECTIONS = [Root.meta, Root.entries, Root.invitations, Root.signoffs] as const;
export type StampedCollection = (typeof STAMPED_COLLECTIONS)[number];

/** Key of the group record inside the `meta` map. */
export const META_KEY = 'group';

export interface Actor {
  personId: string;
  name: string;
}

export type GroupKind = 'incident' | 'task';

export interface IncidentInfo {
  number: string;
  type: string;
  address: string;
  /** Device time the incident was reported, if known. */
  reportedAt: number | null;
}

export interface GroupMeta {
  id: string;
  kind: GroupKind;
  title: string;
  incident: IncidentInfo | null;
  unitId: string;
  initiator: Actor;
  deviceTime: number;
}

export type PostKind = 'management' | 'support' | 'leader';

export interface PostRef {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  kind: PostKind;
}

export interface InvitationRecord {
  id: string;
  post: PostRef;
  deadlineMinutes: number;
  invitedBy: Actor;
  deviceTime: number;
}

export interface SignOffRecord {
  id: string;
  invitationId: string;
  postId: string;
  by: Actor;
  deviceTime: number;
}

export interface FindingEntry {
  id: string;
  type: 'finding';
  text: string;
  author: Actor;
  deviceTime: number;
}

export type Entry = FindingEntry;

export type RecordMap = Y.Map<unknown>;

export function rootMap(doc: Y.Doc, name: string): RecordMap {
  return doc.getMap<unknown>(name);
}

export function stampsMap(doc: Y.Doc): Y.Map<Stamp> {
  return doc.getMap<Stamp>(Root.stamps);
}

/** Defines every root type of a group document with its real type, before updates arrive. */
export function defineRoots(doc: Y.Doc): void {
  for (const name of Object.values(Root)) doc.getMap(name);
}
