/** The relay's HTTP API. Same origin: the relay serves the app, and the dev server proxies `/api`. */
import { HttpError } from '@muster/protocol';
import type {
  InboxArchiveResponse,
  AuditHeadResponse,
  AuditListResponse,
  DevicePolicyResponse,
  DirectoryResponse,
  GroupListResponse,
  LoginResponse,
  MeResponse,
  RecordReadRequest,
} from '@muster/protocol';

export { HttpError };

/** True for failures that mean "no network or no server" rather than a refusal. */
export function isNetworkError(e: unknown): boolean {
  return e instanceof TypeError || (e instanceof HttpError && e.status >= 500) || isAbort(e);
}

function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

async function request<T>(path: string, init: RequestInit & { token?: string; timeoutMs?: number } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), init.timeoutMs ?? 15_000);
  try {
    const res = await fetch(path, { ...init, headers, signal: ctrl.signal, cache: 'no-store' });
    const text = await res.text();
    const body: unknown = text ? safeJson(text) : null;
    if (!res.ok) throw HttpError.fromAnswer(res.status, res.statusText, body, res.headers.get('Retry-After'));
    return body as T;
  } finally {
    clearTimeout(timer);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const api = {
  /** STATS-4: a statistics read (`/api/stats/...`, JSON). */
  stats: <T>(token: string, path: string) => request<T>(path, { token, timeoutMs: 30_000 }),
  /** STATS-7: a CSV export, as text. */
  statsCsv: async (token: string, path: string): Promise<string> => {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (!res.ok) throw new HttpError(res.status, `http-${res.status}`, res.statusText);
    return res.text();
  },
  login: (policeNo: string, password: string) =>
    request<LoginResponse>('/api/login', { method: 'POST', body: JSON.stringify({ policeNo, password }) }),
  /** AUTH-3: trades the refresh token for a new access token and a new refresh token (the old one is spent). */
  refresh: (refreshToken: string) =>
    request<LoginResponse>('/api/refresh', { method: 'POST', body: JSON.stringify({ refreshToken }) }),
  /** LOCK-2: minutes of inactivity before the app locks, as an admin set them. */
  devicePolicy: (token: string) => request<DevicePolicyResponse>('/api/device-policy', { token }),
  me: (token: string) => request<MeResponse>('/api/me', { token }),
  directory: (token: string) =>
    request<DirectoryResponse & { persons?: unknown[]; onDuty?: unknown[] }>('/api/directory', { token }),
  /** `{ templates: [...] }` or an array; validated with core `parseTemplates`. */
  templates: (token: string) => request<unknown>('/api/templates', { token }),
  /** ASSIST-11: `{ name: { zh, en } }`; validated with `parseAssistantName`. */
  assistant: (token: string) => request<unknown>('/api/lookup/assistant', { token }),
  /** APR-1: `{ types: [...] }` or an array; validated with core `parseApprovalTypes`. */
  approvalTypes: (token: string) => request<unknown>('/api/approval-types', { token }),
  /** Goes on or off duty at a post; the reply shape is not relied on. */
  duty: (token: string, postId: string, on: boolean) =>
    request<unknown>('/api/duty', { method: 'POST', token, body: JSON.stringify({ postId, on }) }),
  /** HIST-8: a page of my inbox archive, newest first, before `before` (a cursor from the last page; null: newest). */
  inboxArchive: (token: string, before: string | null = null) =>
    request<InboxArchiveResponse>(`/api/inbox/archive${before ? `?before=${encodeURIComponent(before)}` : ''}`, {
      token,
    }),
  /** HIST-1: a page of my group list after `since` (a cursor from the last page; null: from the start). */
  groups: (token: string, since: string | null = null) =>
    request<GroupListResponse>(`/api/groups${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token }),
  /** AUDIT-4: a page of the audit log (auditors); `query` holds person, group, action, from, to, before, limit. */
  audit: (token: string, query: Record<string, string>) =>
    request<AuditListResponse>(`/api/audit?${new URLSearchParams(query).toString()}`, { token }),
  /** AUDIT-6: a fresh checkpoint of the audit chain's head (auditors' devices witness it). */
  auditHead: (token: string) => request<AuditHeadResponse>('/api/audit/head', { token }),
  /** AUDIT-5: tells the server of a read only the device makes (the case file viewed or printed). */
  reportRead: (token: string, read: RecordReadRequest) =>
    request<{ seq: number }>('/api/audit/reads', { method: 'POST', token, body: JSON.stringify(read) }),
  /** ASSIST-6: one masked value of an answer (clearance needed; audited). */
  lookupReveal: (
    token: string,
    body: { groupId: string; questionId: string; sourceId: string; rowKey: string; field: string },
  ) =>
    request<{ value: string | number | null }>('/api/lookup/reveal', {
      method: 'POST',
      token,
      body: JSON.stringify(body),
    }),
};
