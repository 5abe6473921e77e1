/**
 * The relay side of access control, one concern per step:
 *  - on connect: the policy's open decision (ACL-1, 4403 for non-members), audited;
 *  - before an update is applied, checks only (no side effects):
 *      1. read-only connections change nothing (ACL-3, y-protocols "Handling read-only users": their sync step 2
 *         and updates are not applied, and they are told with a `read-only` notice);
 *      2. a connection that may create the group is decided again when someone else registered it meanwhile;
 *      3. the membership must be loaded (else the client syncs again);
 *      4. (a closed group keeps only what a device made before it had the closure: the closure gate, a separate
 *         extension right after this one, closureGate.ts, LATE-1..3);
 *      5. every record passes the policy (updateRules.ts, POL-2, ACL-6/7);
 *  - after the update was applied (every extension accepted it): membership is registered and audited
 *    (registration.ts, ACL-2), and connections that waited on a new group and are not members leave;
 *  - awareness is bound to identity (awareness.ts, ACL-4).
 */
import * as Y from 'yjs';
import { META_KEY, Root, readMeta } from '@muster/core';
import { CloseCode, parseDocName } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import { ConnectionRefused } from '../extension.ts';
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';
import { inspectUpdate } from '../relay/inspectUpdate.ts';
import type { DecodedUpdate } from '../relay/inspectUpdate.ts';
import type { ConnectionHandle, DocumentHandle, Refusal } from '../relay/types.ts';
import { emptyMembership, groupAccess } from './access.ts';
import type { AccessControl, AccessMode } from './access.ts';
import { bindAwareness } from './awareness.ts';
import { auditRecords, registerMembers, registerWithCommit } from './registration.ts';
import { checkAllRecords, closedAt } from './updateRules.ts';

export const FORBIDDEN = 4403;

interface ConnState {
  mode: AccessMode;
  reason: string;
  readOnlyNoticeAt: number;
}

const isEmptyUpdate = (d: DecodedUpdate): boolean => d.structs.length === 0 && d.ds.clients.size === 0;

export function accessExtension(opts: { access: AccessControl; audit: Auditor; log: Logger }): Extension {
  const { access, audit, log } = opts;
  const states = new WeakMap<ConnectionHandle, ConnState>();

  const readOnly = (conn: ConnectionHandle, st: ConnState, message: string): Refusal => {
    const now = Date.now();
    if (now - st.readOnlyNoticeAt > 1000) {
      st.readOnlyNoticeAt = now;
      conn.notice({ kind: 'read-only', code: st.reason, message });
    }
    return { code: 'read-only', message, report: false, resync: false };
  };

  /** Step 2: a `create` connection whose group someone else registered meanwhile is decided again. */
  const decideAgain = (conn: ConnectionHandle, st: ConnState, groupId: string): Refusal | null => {
    const m = access.cachedMembership(groupId);
    if (st.mode !== 'create' || !m || m.initiator === null) return null;
    const again = groupAccess(conn.principal, m, access.directory());
    st.mode = again.mode;
    st.reason = again.reason;
    if (again.mode === 'none') {
      conn.close(FORBIDDEN, 'forbidden: not a member of this group');
      return { code: 'forbidden', message: 'not a member', report: false, resync: false };
    }
    if (again.mode === 'read') return readOnly(conn, st, 'read-only: your changes are not applied');
    return null;
  };

  /** After a new group's record was applied: connections that waited on it and are not members leave. */
  const settleWaiting = (connection: ConnectionHandle, document: DocumentHandle, groupId: string): void => {
    const m = access.cachedMembership(groupId);
    const meta = readMeta(document.doc);
    if (!meta) return;
    const next = emptyMembership();
    next.initiator = meta.initiator.personId;
    next.unitId = meta.unitId;
    for (const p of m?.posts ?? []) next.posts.add(p);
    for (const v of document.doc.getMap(Root.invitations).values()) {
      const post = (v as { post?: { id?: unknown } } | undefined)?.post?.id;
      if (typeof post === 'string') next.posts.add(post);
    }
    for (const other of document.connections) {
      const os = states.get(other);
      if (other === connection || !os || os.mode !== 'create') continue;
      const d = groupAccess(other.principal, next, access.directory());
      os.mode = d.mode;
      os.reason = d.reason;
      // Not (yet) a member: the invitation may follow in the next update. Reconnect and be decided again.
      if (d.mode === 'none') other.close(CloseCode.membershipPending, 'group started by someone else; reconnect');
    }
  };

  return {
    name: 'access',
    phase: 'authorize',

    async onLoadDocument({ document }) {
      // Groups stored before the registry existed: the server's own copy is the record.
      if (parseDocName(document.name) && readMeta(document.doc)) await registerMembers(access, audit, document);
    },

    async onConnect({ connection, document }) {
      const p = connection.principal;
      const exists = readMeta(document.doc) !== null || document.doc.store.clients.size > 0;
      const d = await access.decide(p, document.name, exists);
      if (d.mode === 'none') {
        audit.note({
          action: AuditAction.accessRefused,
          actor: p.sub,
          docName: document.name,
          detail: { reason: d.reason },
        });
        throw new ConnectionRefused(FORBIDDEN, `forbidden: ${d.reason}`);
      }
      const st: ConnState = { mode: d.mode, reason: d.reason, readOnlyNoticeAt: 0 };
      states.set(connection, st);
      audit.note({
        action: AuditAction.groupOpen,
        actor: p.sub,
        docName: document.name,
        detail: { mode: d.mode, reason: d.reason, conn: connection.id },
      });
      if (d.mode === 'read') {
        st.readOnlyNoticeAt = Date.now();
        connection.notice({ kind: 'read-only', code: d.reason, message: 'read-only: you may read, not change' });
      } else if (d.mode === 'write' && closedAt(document.doc) !== null) {
        connection.notice({
          kind: 'read-only',
          code: 'closed',
          message: 'this group is closed: work made before your device received the closure is kept, nothing newer',
        });
      }
    },

    beforeApply({ connection, document, decoded }) {
      const st = states.get(connection);
      if (!st) return { code: 'forbidden', message: 'not admitted', report: false, resync: false };
      if (isEmptyUpdate(decoded)) return null;
      // 1. read-only
      if (st.mode === 'read') return readOnly(connection, st, 'read-only: your changes are not applied');
      const group = parseDocName(document.name);
      if (!group) return null; // inbox: the inbox extension decides what its owner writes
      // 2. the create race
      const again = decideAgain(connection, st, group.id);
      if (again) return again;
      const ins = inspectUpdate(document.doc, decoded);
      if (ins.outOfOrder !== null) return null; // the server-owned guard asks the client to sync again
      // 3. membership
      let m = access.cachedMembership(group.id);
      if (st.mode === 'create') {
        if (!ins.added.some((r) => r.collection === Root.meta && r.key === META_KEY)) {
          return {
            code: 'group-not-started',
            message: 'the first update of a new group must carry its group record',
            report: true,
            resync: false,
          };
        }
        m = emptyMembership();
      }
      if (!m) {
        log.warn('membership not loaded; asking the client to sync again', { doc: document.name });
        void access.membership(group.id).catch(() => {});
        return { code: 'retry', message: 'try again', report: false, resync: true };
      }
      // 5. the policy, record by record
      const vs = checkAllRecords(ins, {
        asker: connection.principal,
        membership: m,
        doc: document.doc,
        directory: access.directory(),
      });
      if (vs.length === 0) return null;
      const v = vs[0]!;
      // REQ-2: a group's first update is taken whole or not at all; otherwise only the offending records are
      // dropped and the rest is applied (the relay checks the rest again), so the device is not blocked.
      const whole = st.mode === 'create' || vs.some((x) => x.detail['collection'] === Root.meta);
      const keys = vs.map((x) => `${String(x.detail['collection'])}/${String(x.detail['key'])}`);
      const message = vs.length === 1 ? v.message : `${v.message}; refused: ${keys.join(', ')}`;
      if (whole) return { code: v.code, message, report: true, resync: false };
      return {
        code: v.code,
        message,
        report: true,
        resync: false,
        drop: {
          items: vs.filter((x) => !x.deletes).map((x) => x.span),
          deletes: vs.filter((x) => x.deletes).map((x) => x.span),
          keys,
        },
      };
    },

    afterApply({ connection, document, transaction }) {
      const st = states.get(connection);
      const keys: string[] = [];
      for (const [type, changed] of transaction.changed) {
        if (type._item !== null) continue;
        const root = Y.findRootTypeKey(type);
        for (const k of changed) if (k !== null) keys.push(`${root}/${k}`);
      }
      if (keys.length === 0) return;
      const group = parseDocName(document.name);
      if (st?.mode === 'create' && keys.includes(`${Root.meta}/${META_KEY}`)) {
        st.mode = 'write';
        if (group) settleWaiting(connection, document, group.id);
      }
      void registerWithCommit(access, audit, document, keys).catch((error: unknown) =>
        log.error('membership registration failed', { error: error instanceof Error ? error.message : String(error) }),
      );
      auditRecords(audit, document, connection.principal.sub, keys);
    },

    beforeAwareness({ connection, document, update }) {
      return bindAwareness(update, connection, document, (claimed) =>
        audit.note({
          action: AuditAction.awarenessRewritten,
          actor: connection.principal.sub,
          docName: document.name,
          detail: { claimed },
        }),
      );
    },

    onDisconnect({ connection }) {
      states.delete(connection);
    },
  };
}
