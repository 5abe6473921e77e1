/** Rows as SQLite returns them, and their mapping to the store's records. */
import type { GroupListStatus, GroupSummary } from '@muster/protocol';
import type { AuditRow, PersonRecord, SessionRecord } from '../store.ts';

export interface PersonRow {
  id: string;
  police_no: string;
  name: string;
  unit_id: string;
  roles: string;
  post_ids: string;
  password_hash: string;
}

export interface GroupRow {
  id: string;
  title: string;
  kind: string;
  initiator_name: string;
  created_at: number;
  updated_at: number;
  entry_count: number;
  /** HIST-1: JSON of the list status (null on rows from before it was kept). */
  status?: string | null;
  version?: number | string;
}

export interface AuditDbRow {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  doc_name: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface SessionRow {
  id: string;
  person_id: string;
  refresh_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface UnitDbRow {
  id: string;
  name: string;
  name_en: string;
  parent_id: string | null;
  kind: string;
  initials: string | null;
}

export interface PostDbRow {
  id: string;
  unit_id: string;
  name: string;
  name_en: string;
  kind: string;
  capabilities: string;
  initials: string | null;
  phone: string | null;
}

/** A view of a blob's bytes (better-sqlite3 gives every blob its own Buffer). */
export const bytes = (b: Buffer | Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const sessionOf = (r: SessionRow): SessionRecord => ({
  id: r.id,
  personId: r.person_id,
  refreshHash: r.refresh_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function personOf(r: PersonRow): PersonRecord {
  return {
    id: r.id,
    policeNo: r.police_no,
    name: r.name,
    unitId: r.unit_id,
    roles: JSON.parse(r.roles) as string[],
    postIds: JSON.parse(r.post_ids) as string[],
    passwordHash: r.password_hash,
  };
}

export function groupOf(r: GroupRow): GroupSummary {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind === 'task' ? 'task' : 'incident',
    initiatorName: r.initiator_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    entryCount: r.entry_count,
    ...(r.status ? { status: JSON.parse(r.status) as GroupListStatus } : {}),
  };
}

/** HIST-1: a row of a list page, with its list version. */
export const pagedGroupOf = (r: GroupRow): GroupSummary => ({ ...groupOf(r), version: Number(r.version ?? 0) });

export function auditOf(r: AuditDbRow): AuditRow {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    docName: r.doc_name,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
    ...(r.hash ? { prevHash: r.prev_hash ?? '', hash: r.hash } : {}),
  };
}
