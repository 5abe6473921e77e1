/**
 * ASSIST-6: `POST /api/lookup/reveal {groupId, questionId, sourceId, rowKey, field}` shows one masked value of an
 * answer to a person who may open the group and has reveal clearance (audited, never written into the document);
 * `GET /api/lookup/sources` lists the sources (names, intents, fields, clearance) for the interface and operators;
 * `GET /api/lookup/assistant` gives the assistant's display name in each language (ASSIST-11).
 */
import { readAnswer } from '@muster/core';
import { groupDocName, HttpError } from '@muster/protocol';
import type { AssistantResponse } from '@muster/protocol';
import type { AccessControl } from '../access/access.ts';
import { readJsonBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import type { Authenticate, Handler, Routes } from '../http/router.ts';
import type { DocumentAccess } from '../workflow/types.ts';
import type { Assistant } from './assistant.ts';

export interface LookupRouteDeps {
  assistant: Assistant;
  access: AccessControl;
  docs: () => DocumentAccess;
  maxBodyBytes: number;
  /** ASSIST-11: the configured display name. */
  assistantName: AssistantResponse['name'];
}

function str(body: Record<string, unknown>, key: string, re: RegExp): string {
  const v = body[key];
  if (typeof v !== 'string' || !re.test(v))
    throw new HttpError(400, 'invalid-request', `${key} is missing or malformed`);
  return v;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function lookupRoutes(deps: LookupRouteDeps, authenticate: Authenticate): Routes {
  const reveal: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const raw = await readJsonBody(req, deps.maxBodyBytes);
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const groupId = str(body, 'groupId', ID);
    const questionId = str(body, 'questionId', ID);
    const sourceId = str(body, 'sourceId', /^[a-z0-9-]{1,40}$/);
    const rowKey = str(body, 'rowKey', /^[^\u0000-\u001f]{1,200}$/u);
    const field = str(body, 'field', /^[A-Za-z0-9_]{1,40}$/);
    const docName = groupDocName(groupId);
    if (!(await deps.access.canOpen(claims, docName)))
      throw new HttpError(403, 'forbidden', 'not a member of this group');
    const answer = await deps.docs().withDocument(docName, ({ doc }) => readAnswer(doc, questionId));
    const r = await deps.assistant.reveal(claims.sub, docName, answer, { sourceId, rowKey, field });
    if (!r.ok) throw new HttpError(r.status, r.code, `the value cannot be revealed: ${r.code}`);
    sendJson(res, 200, { value: r.value });
  };
  const sources: Handler = async (req, res) => {
    await authenticate(req);
    const list = (await deps.assistant.sources()).map((s) => s.info);
    sendJson(res, 200, { sources: list });
  };
  const assistant: Handler = async (req, res) => {
    await authenticate(req);
    const body: AssistantResponse = { name: deps.assistantName };
    sendJson(res, 200, body);
  };
  return {
    '/api/lookup/reveal': { POST: reveal },
    '/api/lookup/sources': { GET: sources },
    '/api/lookup/assistant': { GET: assistant },
  };
}
