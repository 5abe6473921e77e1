/**
 * The audit log for auditors (AUDIT-4) and the reads a device reports (AUDIT-5):
 *  - `GET /api/audit?person=&group=&action=&from=&to=&before=&limit=`: auditors only (policy `mayReadAudit`); rows
 *    newest first, paged by `before` (a sequence number); the read is itself audited (`audit-read`).
 *  - `POST /api/audit/reads {groupId, act}`: a person who may open the group reports viewing or printing its case
 *    file, which only the device renders.
 */
import type { IncomingMessage } from 'node:http';
import { groupDocName, HttpError, ReadAction } from '@muster/protocol';
import type { AuditEntry, AuditHeadResponse, AuditListResponse, TokenClaims } from '@muster/protocol';
import type { Auditor } from '../audit/auditor.ts';
import { AuditAction } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import type { AuditQuery, AuditRow, Store } from '../store/store.ts';
import { readJsonBody } from './body.ts';
import { sendJson } from './respond.ts';
import { bodyObject } from './router.ts';
import type { Authenticate, Handler, Routes } from './router.ts';

export interface AuditApiDeps {
  store: Store;
  clock: Clock;
  audit: Auditor;
  maxBodyBytes: number;
  /** ACL-5: whether the person may open the document. */
  canOpen: (p: TokenClaims, docName: string) => Promise<boolean>;
  /** Policy: whether the person may read the audit log. */
  mayReadAudit: (p: TokenClaims) => boolean;
  /** AUDIT-6: a fresh checkpoint of the chain's head and the key that signs checkpoints. */
  head: () => Promise<Omit<AuditHeadResponse, 'serverTime'>>;
}

export const AUDIT_PAGE_MAX = 200;
const AUDIT_PAGE_DEFAULT = 50;
const NAME = /^[\w:.@-]{1,128}$/;
const GROUP_ID = /^[A-Za-z0-9_-]{1,64}$/;

function bad(message: string): HttpError {
  return new HttpError(400, 'invalid-request', message);
}

/** AUDIT-4: the query string as an audit query; a bad value is a 400 naming the parameter. */
export function parseAuditQuery(search: URLSearchParams): AuditQuery & { limit: number } {
  const known = new Set(['person', 'group', 'action', 'from', 'to', 'before', 'limit']);
  for (const k of search.keys()) if (!known.has(k)) throw bad(`unknown parameter "${k}"`);
  const text = (key: string, re: RegExp): string | undefined => {
    const v = search.get(key);
    if (v === null || v === '') return undefined;
    if (!re.test(v)) throw bad(`${key} must match ${re.source}`);
    return v;
  };
  const num = (key: string, min: number, max: number): number | undefined => {
    const v = search.get(key);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(`${key} must be an integer in ${min}..${max}`);
    return n;
  };
  const q: AuditQuery & { limit: number } = { newestFirst: true, limit: AUDIT_PAGE_DEFAULT };
  const person = text('person', NAME);
  const group = text('group', GROUP_ID);
  const action = text('action', NAME);
  const fromAt = num('from', 0, Number.MAX_SAFE_INTEGER);
  const toAt = num('to', 0, Number.MAX_SAFE_INTEGER);
  const beforeSeq = num('before', 1, Number.MAX_SAFE_INTEGER);
  const limit = num('limit', 1, AUDIT_PAGE_MAX);
  if (fromAt !== undefined && toAt !== undefined && fromAt > toAt) throw bad('from must not be after to');
  if (person !== undefined) q.actor = person;
  if (group !== undefined) q.docName = groupDocName(group);
  if (action !== undefined) q.action = action;
  if (fromAt !== undefined) q.fromAt = fromAt;
  if (toAt !== undefined) q.toAt = toAt;
  if (beforeSeq !== undefined) q.beforeSeq = beforeSeq;
  if (limit !== undefined) q.limit = limit;
  return q;
}

const entryOf = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  docName: r.docName,
  detail: r.detail,
  prevHash: r.prevHash ?? null,
  hash: r.hash ?? null,
});

export function auditRoutes(deps: AuditApiDeps, authenticate: Authenticate): Routes {
  const { store, clock, audit } = deps;

  const auditor = async (req: IncomingMessage): Promise<TokenClaims> => {
    const claims = await authenticate(req);
    if (!deps.mayReadAudit(claims)) {
      await audit.record({ action: AuditAction.accessRefused, actor: claims.sub, detail: { what: 'audit-log' } });
      throw new HttpError(403, 'forbidden', 'only auditors read the audit log');
    }
    return claims;
  };

  const list: Handler = async (req, res) => {
    const claims = await auditor(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const q = parseAuditQuery(url.searchParams);
    // One row more than asked tells whether an older page exists.
    const rows = await store.listAudit({ ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const filters: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (v !== '') filters[k] = v;
    // The auditor's own read is audited after the page is taken, so it is not part of the page it reads.
    await audit.record({ action: ReadAction.auditRead, actor: claims.sub, detail: { filters, rows: page.length } });
    const out: AuditListResponse = {
      entries: page.map(entryOf),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.seq : null,
      serverTime: clock.now(),
    };
    sendJson(res, 200, out);
  };

  const reads: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const body = await readJsonBody(req, deps.maxBodyBytes);
    const b = bodyObject(body);
    const groupId = b['groupId'];
    const act = b['act'];
    if (typeof groupId !== 'string' || !GROUP_ID.test(groupId) || (act !== 'record-view' && act !== 'record-print')) {
      throw bad('send {"groupId": string, "act": "record-view" | "record-print"}');
    }
    const docName = groupDocName(groupId);
    if (!(await deps.canOpen(claims, docName))) {
      await audit.record({ action: AuditAction.accessRefused, actor: claims.sub, docName, detail: { what: act } });
      throw new HttpError(403, 'forbidden', 'you may not open this group');
    }
    const seq = await audit.record({ action: act, actor: claims.sub, docName });
    if (seq === null) throw new HttpError(503, 'audit-unavailable', 'the read could not be audited; try again');
    sendJson(res, 200, { seq });
  };

  const head: Handler = async (req, res) => {
    const claims = await auditor(req);
    const h = await deps.head();
    await audit.record({ action: ReadAction.auditRead, actor: claims.sub, detail: { head: h.checkpoint?.seq ?? 0 } });
    const out: AuditHeadResponse = { ...h, serverTime: clock.now() };
    sendJson(res, 200, out);
  };

  return {
    '/api/audit': { GET: list },
    '/api/audit/head': { GET: head },
    '/api/audit/reads': { POST: reads },
  };
}
