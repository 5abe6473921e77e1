/** Row types of the device database. Pure types: no Dexie import, so logic over them stays testable in Node. */
import type * as Y from 'yjs';
import type { ApprovalType, GroupKind, GroupTemplate } from '@muster/core';
import type { AuditCheckpoint, Person, PostInfo, UnitInfo } from '@muster/protocol';
import type { GroupStatusFacts } from '../groupStatus.ts';

/** One row of the group list index: what the list page needs without loading the group's document. */
export interface GroupIndexFields {
  id: string;
  title: string;
  kind: GroupKind;
  initiatorName: string;
  /** Device time the group was started. */
  createdAt: number;
  /** Server time of the last persisted change when known, else device time of the last local change. */
  updatedAt: number;
  entryCount: number;
  /** Records of the document the relay has not acknowledged as persisted. */
  pending: number;
  /** Encoded state vector of the last durable acknowledgement (null until the first ack). */
  ackedStateVector: Uint8Array | null;
  /** Server time of the last durable acknowledgement. */
  ackedAt: number | null;
  /** Device time this device last opened the group (null: never opened here). */
  lastOpenedAt: number | null;
  /**
   * Shared tablet: the persons this device holds the group for (its creator here, persons whose server list named
   * it). The list and the pending-changes sockets show and send only groups held for the logged-in person.
   */
  holders: string[];
  /** UX-4: closed or open, sign-offs, open deadlines, closure deadline (absent until the document was loaded here). */
  status?: GroupStatusFacts;
  /**
   * OFFL-1: server time this device last completed a sync of the group's document with the relay (or started it
   * here): the group can be read and written offline. Absent: only the list row is known.
   */
  syncedAt?: number | null;
  /** KEEP-1: server time the group's content left the device (closed past the retention); cleared by a new sync. */
  removedAt?: number | null;
  /**
   * HIST-7: per person, the full list (its sweep id) that last named the group; rows held for the person that the
   * finished full list did not name leave their list.
   */
  listed?: Record<string, number>;
}

/** A row as read from Dexie: y-dexie adds the lazily loaded document on the prototype. */
export interface GroupRow extends GroupIndexFields {
  readonly doc: Y.Doc;
}

export interface SessionRow {
  key: 'current';
  token: string;
  /** Token expiry, server time (ms). */
  expiresAt: number;
  person: Person;
  /** AUTH-3: rotating refresh token. */
  refreshToken: string;
  /** Refresh token expiry, server time (ms). */
  refreshExpiresAt: number;
  /** Estimated server time minus device time (ms), from the last server reply. */
  clockOffset: number;
  savedAt: number;
}

export interface DirectoryRow {
  key: 'current';
  units: UnitInfo[];
  posts: PostInfo[];
  /** Persons (no secrets) and who is on duty, when the server sends them. */
  persons?: unknown[];
  onDuty?: unknown[];
  fetchedAt: number;
}

/**
 * Cached server data: group templates from `GET /api/templates` (one tap offline) under `templates`, and (APR-1)
 * approval types from `GET /api/approval-types` (the approval form offline) under `approval-types`, and (AUDIT-6)
 * the latest audit checkpoint an auditor's device witnessed under `audit-witness`.
 */
export interface CacheRow {
  key: 'templates' | 'approval-types' | 'audit-witness' | `groups-cursor:${string}`;
  /** HIST-1: the cursor of the last group-list page merged for a person (`groups-cursor:<personId>`). */
  cursor?: string;
  /** HIST-7: a full list of the person is being read (its sweep id), page by page; cleared after its last page. */
  sweep?: number;
  templates?: GroupTemplate[];
  types?: ApprovalType[];
  /** AUDIT-6: the latest audit checkpoint this device witnessed (auditors). */
  checkpoint?: AuditCheckpoint;
  fetchedAt: number;
}

export interface InboxRow {
  id: string;
  readonly doc: Y.Doc;
}

/** PHOTO-1: one photo of a group on this device (the downscaled bytes, by SHA-256). */
export interface PhotoRow {
  groupId: string;
  hash: string;
  mime: string;
  size: number;
  blob: Blob;
  /** 1 once the relay holds it (or it came from the relay); 0 while it waits in the upload outbox. */
  uploaded: 0 | 1;
  /** When this device made it (upload progress counts these); 0 for a copy fetched from the relay. */
  savedAt: number;
}
