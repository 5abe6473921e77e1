/** AUDIT-4..AUDIT-6: the audit log as auditors read it over HTTP. */

/** One audit row as `GET /api/audit` shows it (the hash chain's columns included, for checking on a device). */
export interface AuditEntry {
  seq: number;
  /** Server time. */
  at: number;
  /** Person id, or null for the system. */
  actor: string | null;
  action: string;
  docName: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string | null;
  hash: string | null;
}

/**
 * `GET /api/audit?person=&group=&action=&from=&to=&before=&limit=`: rows newest first; `nextBefore` asks for the
 * next (older) page, null when there is none.
 */
export interface AuditListResponse {
  entries: AuditEntry[];
  nextBefore: number | null;
  serverTime: number;
}

/** Reads a device makes of a group that the server does not serve itself (the case file viewed or printed). */
export type RecordReadAct = 'record-view' | 'record-print';

/** `POST /api/audit/reads`: the device tells the server of a read it made, to be audited (AUDIT-5). */
export interface RecordReadRequest {
  groupId: string;
  act: RecordReadAct;
}

/** Audit actions of reads (AUDIT-5). */
export const ReadAction = {
  groupOpen: 'group-open',
  groupList: 'groups-listed',
  directory: 'directory-read',
  photo: 'photo-read',
  auditRead: 'audit-read',
  recordView: 'record-view',
  recordPrint: 'record-print',
} as const;

/** AUDIT-6: a signed statement of the audit chain's head: row `seq` had hash `hash` at server time `at`. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: number;
  /** First 16 hex digits of the SHA-256 of the signing key's SPKI DER. */
  keyId: string;
  /** Ed25519 signature (base64) over `muster-audit-checkpoint/1\n<seq>\n<hash>\n<at>\n<keyId>`. */
  signature: string;
}

/** `GET /api/audit/head`: the latest checkpoint and the public key that signs them (auditors witness it). */
export interface AuditHeadResponse {
  checkpoint: AuditCheckpoint | null;
  publicKeyPem: string;
  keyId: string;
  serverTime: number;
}
