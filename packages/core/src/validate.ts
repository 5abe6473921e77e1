/**
 * Shape checks for records read from a document. Anything a device wrote is untrusted: a record that does not
 * parse is left out of every view instead of breaking it.
 */
import type {
  AckRecord,
  Attested,
  Actor,
  Addressee,
  ApprovalEntry,
  ClosureRecord,
  ClueEntry,
  CloseRequestRecord,
  DecisionRecord,
  DecisionRequestRecord,
  Entry,
  FieldValue,
  FindingEntry,
  GeoPoint,
  GroupMeta,
  IncidentInfo,
  InstructionEntry,
  InvitationRecord,
  OverdueEvent,
  PhotoRef,
  PostRef,
  SealRecord,
  SealRequestRecord,
  LessonRecord,
  SignOffRecord,
  SupervisionRecord,
  TaskEntry,
  ReminderRecord,
  TaskEventRecord,
} from './schema.ts';

type Obj = Record<string, unknown>;
const isMsValue = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The attested time of a raw record (`attested` field), or null when absent or malformed. */
export function parseAttested(v: unknown): Attested | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = (v as Record<string, unknown>)['attested'];
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return null;
  const r = a as Record<string, unknown>;
  if (!isMsValue(r['at']) || !isMsValue(r['uncertaintyMs']) || !isMsValue(r['anchorAt'])) return null;
  if (r['chain'] !== 'monotonic' && r['chain'] !== 'restart') return null;
  return { at: r['at'], uncertaintyMs: r['uncertaintyMs'], anchorAt: r['anchorAt'], chain: r['chain'] };
}

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
  const meta: GroupMeta = {
    id: v['id'],
    kind,
    title: v['title'],
    incident: parseIncident(v['incident']),
    unitId: v['unitId'],
    initiator,
    deviceTime: v['deviceTime'],
  };
  if (isId(v['templateId'])) meta.templateId = v['templateId'];
  return meta;
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
  // POL-15: a deadline a client writes (`deadlineMinutes`, any value) is ignored: the server's policy sets it.
  if (!post || !invitedBy || !isId(v['id']) || !isTime(v['deviceTime'])) return null;
  return { id: v['id'], post, invitedBy, deviceTime: v['deviceTime'] };
}

export function parseSignOff(v: unknown): SignOffRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  if (!by || !isId(v['id']) || !isId(v['invitationId']) || !isId(v['postId']) || !isTime(v['deviceTime'])) {
    return null;
  }
  const record: SignOffRecord = {
    id: v['id'],
    invitationId: v['invitationId'],
    postId: v['postId'],
    by,
    deviceTime: v['deviceTime'],
  };
  const attested = parseAttested(v);
  if (attested) record.attested = attested;
  return record;
}

export const MAX_PHOTOS_PER_FINDING = 10;
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** A photo name: lowercase hex SHA-256 (also the server's file name, so nothing else ever reaches a path). */
export const isPhotoHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;

/** PHOTO-1: a photo reference; null when any field is missing or out of range. */
export function parsePhotoRef(v: unknown): PhotoRef | null {
  if (!isObj(v) || !isPhotoHash(v['hash'])) return null;
  const mime = v['mime'];
  if (typeof mime !== 'string' || !(PHOTO_MIME_TYPES as readonly string[]).includes(mime)) return null;
  if (!isCount(v['size'], 100 * 1024 * 1024) || !isCount(v['width'], 20_000) || !isCount(v['height'], 20_000)) {
    return null;
  }
  return {
    hash: v['hash'],
    mime: mime as PhotoRef['mime'],
    size: v['size'],
    width: v['width'],
    height: v['height'],
  };
}

/** LOC-1: a position; null when out of range. */
export function parseGeoPoint(v: unknown): GeoPoint | null {
  if (!isObj(v)) return null;
  const { lat, lon, accuracy } = v;
  const num = (x: unknown, lo: number, hi: number): x is number =>
    typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
  if (!num(lat, -90, 90) || !num(lon, -180, 180) || !num(accuracy, 0, 1_000_000)) return null;
  return { lat, lon, accuracy };
}

function parseFinding(v: Obj, author: Actor, id: string, deviceTime: number): FindingEntry | null {
  if (!isStr(v['text'], 20_000)) return null;
  const entry: FindingEntry = { id, type: 'finding', text: v['text'], author, deviceTime };
  // Records made before photos and locations existed have neither field and stay valid.
  if (v['photos'] !== undefined) {
    const photos = parseList(v['photos'], MAX_PHOTOS_PER_FINDING, parsePhotoRef);
    if (!photos) return null;
    if (photos.length > 0) entry.photos = photos;
  }
  if (v['location'] !== undefined) {
    const location = parseGeoPoint(v['location']);
    if (!location) return null;
    entry.location = location;
  }
  return entry;
}

export function parseAddressee(v: unknown): Addressee | null {
  if (!isObj(v) || (v['kind'] !== 'post' && v['kind'] !== 'person') || !isId(v['id']) || !isStr(v['name'], 200)) {
    return null;
  }
  return { kind: v['kind'], id: v['id'], name: v['name'] };
}

function parseList<T>(v: unknown, max: number, item: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(v) || v.length > max) return null;
  const out: T[] = [];
  for (const x of v) {
    const parsed = item(x);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}

function parseInstruction(v: Obj, author: Actor, id: string, deviceTime: number): InstructionEntry | null {
  const to = parseList(v['to'], 100, parseAddressee);
  const postId = v['postId'] ?? null;
  if (!isStr(v['text'], 20_000) || !to || to.length === 0 || (postId !== null && !isId(postId))) return null;
  return { id, type: 'instruction', text: v['text'], to, author, postId, deviceTime };
}

function parseClue(v: Obj, author: Actor, id: string, deviceTime: number): ClueEntry | null {
  const targetUnitIds = parseList(v['targetUnitIds'], 100, (x) => (isId(x) ? x : null));
  if (!isStr(v['text'], 20_000) || !targetUnitIds || targetUnitIds.length === 0) return null;
  return { id, type: 'clue', text: v['text'], targetUnitIds, author, deviceTime };
}

function parseTask(v: Obj, author: Actor, id: string, deviceTime: number): TaskEntry | null {
  const assignee = parseAddressee(v['assignee']);
  const due = v['due'] ?? null;
  if (!isStr(v['title'], 2_000) || !assignee || (due !== null && !isTime(due))) return null;
  return { id, type: 'task', title: v['title'], assignee, due, author, deviceTime };
}

function parseValues(v: unknown): Record<string, FieldValue> | null {
  if (!isObj(v)) return null;
  const out: Record<string, FieldValue> = {};
  const keys = Object.keys(v);
  if (keys.length > 50) return null;
  for (const k of keys) {
    const x = v[k];
    if (!isId(k)) return null;
    if (isStr(x, 5_000) || (typeof x === 'number' && Number.isFinite(x))) out[k] = x;
    else return null;
  }
  return out;
}

function parseApproval(v: Obj, author: Actor, id: string, deviceTime: number): ApprovalEntry | null {
  const values = parseValues(v['values']);
  if (!isId(v['approvalType']) || !isStr(v['typeName'], 200) || !values) return null;
  return { id, type: 'approval', approvalType: v['approvalType'], typeName: v['typeName'], values, author, deviceTime };
}

/** Any timeline entry; an entry of an unknown type or a bad shape is left out (null). */
export function parseEntry(v: unknown): Entry | null {
  if (!isObj(v)) return null;
  const author = parseActor(v['author']);
  const id = v['id'];
  const deviceTime = v['deviceTime'];
  if (!author || !isId(id) || !isTime(deviceTime)) return null;
  const entry = parseEntryOfType(v, author, id, deviceTime);
  const attested = entry ? parseAttested(v) : null;
  if (entry && attested) (entry as { attested?: Attested }).attested = attested;
  return entry;
}

function parseEntryOfType(v: Obj, author: Actor, id: string, deviceTime: number): Entry | null {
  switch (v['type']) {
    case 'finding':
      return parseFinding(v, author, id, deviceTime);
    case 'instruction':
      return parseInstruction(v, author, id, deviceTime);
    case 'clue':
      return parseClue(v, author, id, deviceTime);
    case 'task':
      return parseTask(v, author, id, deviceTime);
    case 'approval':
      return parseApproval(v, author, id, deviceTime);
    default:
      return null;
  }
}

export function parseSupervision(v: unknown): SupervisionRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  if (!by || !isId(v['id']) || !isId(v['postId']) || !isTime(v['deviceTime'])) return null;
  return { id: v['id'], postId: v['postId'], by, deviceTime: v['deviceTime'] };
}

export function parseAck(v: unknown): AckRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const kind = v['kind'];
  const postId = v['postId'] ?? null;
  if (!by || (kind !== 'seen' && kind !== 'ack') || (postId !== null && !isId(postId))) return null;
  if (!isId(v['id']) || !isId(v['entryId']) || !isTime(v['deviceTime'])) return null;
  const record: AckRecord = { id: v['id'], entryId: v['entryId'], kind, by, postId, deviceTime: v['deviceTime'] };
  const attested = parseAttested(v);
  if (attested) record.attested = attested;
  return record;
}

/** REMIND-1 */
export function parseReminder(v: unknown): ReminderRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const refKind = v['refKind'];
  if (!by || (refKind !== 'clue' && refKind !== 'invitation')) return null;
  if (!isId(v['id']) || !isId(v['refId']) || !isTime(v['deviceTime'])) return null;
  const record: ReminderRecord = { id: v['id'], refKind, refId: v['refId'], by, deviceTime: v['deviceTime'] };
  const attested = parseAttested(v);
  if (attested) record.attested = attested;
  return record;
}

export function parseTaskEvent(v: unknown): TaskEventRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const kind = v['kind'];
  if (!by || (kind !== 'done' && kind !== 'waived') || !isStr(v['text'], 5_000)) return null;
  if (!isId(v['id']) || !isId(v['taskId']) || !isTime(v['deviceTime'])) return null;
  const record: TaskEventRecord = {
    id: v['id'],
    taskId: v['taskId'],
    kind,
    text: v['text'],
    by,
    deviceTime: v['deviceTime'],
  };
  const attested = parseAttested(v);
  if (attested) record.attested = attested;
  return record;
}

export function parseDecisionRequest(v: unknown): DecisionRequestRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const decision = v['decision'];
  if (!by || (decision !== 'approve' && decision !== 'reject') || !isStr(v['comment'], 5_000)) return null;
  if (!isId(v['id']) || !isId(v['approvalId']) || !isId(v['postId']) || !isTime(v['deviceTime'])) return null;
  return {
    id: v['id'],
    approvalId: v['approvalId'],
    decision,
    comment: v['comment'],
    by,
    postId: v['postId'],
    deviceTime: v['deviceTime'],
  };
}

export function parseCloseRequest(v: unknown): CloseRequestRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const postId = v['postId'] ?? null;
  if (!by || !isId(v['id']) || !isStr(v['summary'], 20_000) || !isTime(v['deviceTime'])) return null;
  if (postId !== null && !isId(postId)) return null;
  return { id: v['id'], summary: v['summary'], by, postId, deviceTime: v['deviceTime'] };
}

export function parseOverdueEvent(v: unknown): OverdueEvent | null {
  if (!isObj(v) || v['type'] !== 'overdue') return null;
  const to = v['escalatedToPostId'] ?? null;
  if (!isStr(v['id'], 200) || !isId(v['invitationId']) || !isId(v['postId']) || (to !== null && !isId(to))) {
    return null;
  }
  if (!isTime(v['deadline']) || !isTime(v['at'])) return null;
  return {
    id: v['id'],
    type: 'overdue',
    invitationId: v['invitationId'],
    postId: v['postId'],
    escalatedToPostId: to,
    deadline: v['deadline'],
    at: v['at'],
  };
}

export function parseDecision(v: unknown): DecisionRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const decision = v['decision'];
  if (!by || (decision !== 'approve' && decision !== 'reject') || !isStr(v['comment'], 5_000)) return null;
  if (!isId(v['approvalId']) || !isId(v['requestId']) || !isId(v['postId']) || !isTime(v['at'])) return null;
  return {
    approvalId: v['approvalId'],
    requestId: v['requestId'],
    decision,
    comment: v['comment'],
    by,
    postId: v['postId'],
    at: v['at'],
  };
}

export function parseSealRequest(v: unknown): SealRequestRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const postId = v['postId'] ?? null;
  if (!by || !isId(v['id']) || !isTime(v['deviceTime']) || (postId !== null && !isId(postId))) return null;
  return { id: v['id'], by, postId, deviceTime: v['deviceTime'] };
}

/** REVIEW-3: a lesson is 1–4,000 characters of text (not blank). */
export function parseLesson(v: unknown): LessonRecord | null {
  if (!isObj(v)) return null;
  const author = parseActor(v['author']);
  const text = v['text'];
  if (!author || !isId(v['id']) || !isStr(text, 4_000) || text.trim() === '' || !isTime(v['deviceTime'])) return null;
  return { id: v['id'], text, author, deviceTime: v['deviceTime'] };
}

export function parseSeal(v: unknown): SealRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const postId = v['postId'] ?? null;
  if (!by || !isId(v['requestId']) || !isTime(v['at']) || (postId !== null && !isId(postId))) return null;
  return { requestId: v['requestId'], by, postId, at: v['at'] };
}

export function parseClosure(v: unknown): ClosureRecord | null {
  if (!isObj(v)) return null;
  const by = parseActor(v['by']);
  const postId = v['postId'] ?? null;
  const deadline = v['deadline'] ?? null;
  if (!by || !isId(v['requestId']) || !isStr(v['summary'], 20_000) || !isTime(v['at'])) return null;
  if ((postId !== null && !isId(postId)) || (deadline !== null && !isTime(deadline))) return null;
  if (typeof v['timely'] !== 'boolean') return null;
  return { requestId: v['requestId'], summary: v['summary'], by, postId, at: v['at'], deadline, timely: v['timely'] };
}

function isMinutes(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

export { isId, isObj, isStr, isTime, isMinutes };
