/**
 * Shape checks for records read from a document. Anything a device wrote is untrusted: a record that does not
 * parse is left out of every view instead of breaking it.
 */
import type { Actor, Entry, GroupMeta, IncidentInfo, InvitationRecord, PostRef, SignOffRecord } from './schema.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
const isId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function parseActor(v: unknown): Actor | null {
  if (!isObj(v) || !isId(v['personId']) || !isStr(v['name'], 200)) return null;
  return { personId: v['personId'], name: v['name'] };
}

function parseIncident(v: unknown): IncidentInfo | null {
  if (!isObj(v)) return null;
  const { number, type, address, reportedAt } = v;
  if (!isStr(number, 100) || !isStr(type, 100) || !isStr(address, 500)) return null;
  return { number, type, address, reportedAt: isTime(reportedAt) ? reportedAt : null };
}

export function parseMeta(v: unknown): GroupMeta | null {
  if (!isObj(v)) return null;
  const initiator = parseActor(v['initiator']);
  const kind = v['kind'];
  if (!initiator || (kind !== 'incident' && kind !== 'task')) return null;
  if (!isId(v['id']) || !isStr(v['title'], 500) || !isStr(v['unitId'], 64) || !isTime(v['deviceTime'])) return null;
  return {
    id: v['id'],
    kind,
    title: v['title'],
    incident: parseIncident(v['incident']),
    unitId: v['unitId'],
    initiator,
    deviceTime: v['deviceTime'],
  };
}

export function parsePostRef(v: unknown): PostRef | null {
  if (!isObj(v)) return null;
  const kind = v['kind'];
  if (kind !== 'management' && kind !== 'support' && kind !== 'leader') return null;
  if (!isId(v['id']) || !isStr(v['name'], 200) || !isStr(v['unitId'], 64) || !isStr(v['unitName'], 200)) {
    return null;
  }
  return { id: v['id'], name: v['name'], unitId: v['unitId'], unitName: v['unitName'], kind };
}

export function parseInvitation(v: unknown): InvitationRecord | null {
  if (!isObj(v)) return null;
  const post = parsePostRef(v['post']);
  const invitedBy = parseActor(v['invitedBy']);
  const mins = v['deadlineMinutes'];
  if (!post || !invitedBy || !isId(v['id']) || !isTime(v['deviceTime'])) return null;
  if (typeof mins !== 'number' || !Number.isInteger(mins) || mins < 1 || mins > 7 * 24 * 60) return null;
  return { id: v['id'], post, deadlineMinutes: mins, invitedBy, deviceTime: v['deviceTime'] };
}

export function parseSignOff(v: unknown): SignOffRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  if (!by || !isId(v['id']) || !isId(v['invitationId']) || !isId(v['postId']) || !isTime(v['deviceTime'])) {
    return null;
  }
  return { id: v['id'], invitationId: v['invitationId'], postId: v['postId'], by, deviceTime: v['deviceTime'] };
}

export function parseEntry(v: unknown): Entry | null {
  if (!isObj(v)) return null;
  const author = parseActor(v['author']);
  if (v['type'] !== 'finding' || !author || !isId(v['id']) || !isTime(v['deviceTime'])) return null;
  if (!isStr(v['text'], 20_000)) return null;
  return { id: v['id'], type: 'finding', text: v['text'], author, deviceTime: v['deviceTime'] };
}

export { isId };
