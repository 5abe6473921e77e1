/**
 * The relay side of access control: decides on connect (ACL-1, 4403 for non-members), keeps read-only
 * connections from changing documents (ACL-3, y-protocols "Handling read-only users": their sync step 2 and
 * updates are not applied, and they are told with a `read-only` notice), checks what members write (ACL-6/7),
 * registers membership from records the server accepted (ACL-2) and binds awareness to identity (ACL-4).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { META_KEY, Root, readMeta } from '@muster/core';
import { CloseCode, parseDocName } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import { ConnectionRefused } from '../extension.ts';
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';
import type { Span } from '../relay/dropStructs.ts';
import type { ConnectionHandle, DocumentHandle, Refusal } from '../relay/types.ts';
import type { GroupMember } from '../store/store.ts';
import { emptyMembership, groupAccess, membershipOf } from './access.ts';
import type { AccessControl, AccessMode } from './access.ts';
import { checkAllRecords, closedAt, inspectUpdate } from './updateRules.ts';

export const FORBIDDEN = 4403;

interface ConnState {
  mode: AccessMode;
  reason: string;
  readOnlyNoticeAt: number;
}

/** Membership rows a group's server-side state implies: its record and its registered invitations. */
function rowsFromDoc(doc: Y.Doc, keys?: Iterable<string>): Omit<GroupMember, 'groupId'>[] {
  const out: Omit<GroupMember, 'groupId'>[] = [];
  const at = Date.now();
  const meta = readMeta(doc);
  if (meta && (!keys || [...keys].includes(`${Root.meta}/${META_KEY}`))) {
    out.push({ kind: 'initiator', ref: meta.initiator.personId, at });
    out.push({ kind: 'unit', ref: meta.unitId, at });
  }
  const invitations = doc.getMap(Root.invitations);
  const wanted = keys ? [...keys].filter((k) => k.startsWith(`${Root.invitations}/`)).map((k) => k.slice(12)) : null;
  for (const key of wanted ?? invitations.keys()) {
    const inv = invitations.get(key) as { post?: { id?: unknown } } | undefined;
    if (typeof inv?.post?.id === 'string') out.push({ kind: 'post', ref: inv.post.id, at });
  }
  return out;
}

/**
 * LATE-1: the items of an update, new to the server, that the device made after this connection opened (at or beyond
 * its state vector at connect): on a closed group these are not offline work. An item that reaches past the state
 * vector is counted whole.
 */
export function newerThanConnect(
  doc: Y.Doc,
  decoded: ReturnType<typeof Y.decodeUpdate>,
  svAtConnect: ReadonlyMap<number, number>,
): Span[] {
  const out: Span[] = [];
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    const end = s.id.clock + s.length;
    if (end <= Y.getState(doc.store, s.id.client)) continue;
    if (end > (svAtConnect.get(s.id.client) ?? 0)) out.push({ client: s.id.client, clock: s.id.clock, len: s.length });
  }
  return out;
}

const isEmptyUpdate = (d: ReturnType<typeof Y.decodeUpdate>): boolean =>
  d.structs.length === 0 && d.ds.clients.size === 0;

export function accessExtension(opts: { access: AccessControl; audit: Auditor; log: Logger }): Extension {
  const { access, audit, log } = opts;
  const states = new WeakMap<ConnectionHandle, ConnState>();

  const register = async (document: DocumentHandle, keys?: Iterable<string>): Promise<void> => {
    const group = parseDocName(document.name);
    if (!group) return;
    const rows = rowsFromDoc(document.doc, keys);
    if (rows.length === 0) return;
    const fresh = await access.register(group.id, rows);
    for (const r of fresh) {
      audit.note({
        action: r.kind === 'initiator' ? AuditAction.groupCreated : AuditAction.memberRegistered,
        actor: null,
        docName: document.name,
        detail: { kind: r.kind, ref: r.ref },
      });
    }
  };

  const readOnly = (conn: ConnectionHandle, st: ConnState, message: string): Refusal => {
    const now = Date.now();
    if (now - st.readOnlyNoticeAt > 1000) {
      st.readOnlyNoticeAt = now;
      conn.notice({ kind: 'read-only', code: st.reason, message });
    }
    return { code: 'read-only', message, report: false, resync: false };
  };

  return {
    name: 'access',

    async onLoadDocument({ document }) {
      // Groups stored before the registry existed: the server's own copy is the record.
      if (parseDocName(document.name) && readMeta(document.doc)) await register(document);
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
          message: 'this group is closed: work made offline before this connection is kept, nothing newer',
        });
      }
    },

    beforeApply({ connection, document, decoded }) {
      const st = states.get(connection);
      if (!st) return { code: 'forbidden', message: 'not admitted', report: false, resync: false };
      if (isEmptyUpdate(decoded)) return null;
      const p = connection.principal;
      if (st.mode === 'read') return readOnly(connection, st, 'read-only: your changes are not applied');
      const group = parseDocName(document.name);
      if (!group) return null; // inbox: the owner writes read markers; server roots are guarded elsewhere
      let m = access.cachedMembership(group.id);
      if (st.mode === 'create') {
        if (m && m.initiator !== null) {
          // Someone else registered the group meanwhile: decide again.
          const again = groupAccess(p, m, access.directory());
          st.mode = again.mode;
          st.reason = again.reason;
          if (again.mode === 'none') {
            connection.close(FORBIDDEN, 'forbidden: not a member of this group');
            return { code: 'forbidden', message: 'not a member', report: false, resync: false };
          }
          if (again.mode === 'read') return readOnly(connection, st, 'read-only: your changes are not applied');
        }
      }
      const ins = inspectUpdate(document.doc, decoded);
      if (st.mode === 'create') {
        const meta = ins.added.find((r) => r.collection === Root.meta && r.key === META_KEY);
        if (!meta) {
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
      if (closedAt(document.doc) !== null) {
        // LATE-1: a member's offline work, made before this connection could show the device the closure (below
        // its state vector at connect), is kept and received after closure. Anything newer is cut out (REQ-2),
        // never the whole update, so the device is not stuck. Device times are not trusted and not used.
        const newer = newerThanConnect(document.doc, decoded, connection.svAtConnect ?? new Map());
        if (newer.length > 0) {
          const keys = ins.added
            .filter((r) => newer.some((s) => s.client === r.span.client && s.clock === r.span.clock))
            .map((r) => `${r.collection}/${r.key}`);
          return {
            code: 'closed',
            message: `this group is closed; only work made offline before reconnecting is kept${keys.length ? `; not applied: ${keys.join(', ')}` : ''}`,
            report: true,
            resync: false,
            notice: 'read-only',
            drop: { items: newer, deletes: [], keys },
          };
        }
      }
      const dir = access.directory();
      const vs = checkAllRecords(ins, { asker: p, membership: m, doc: document.doc, directory: dir });
      if (vs.length > 0) {
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
      }
      if (st.mode === 'create') {
        // The group is being started: connections that wait on it and will not be members leave before the
        // update is broadcast.
        const next = membershipOf([]);
        next.initiator = p.sub;
        for (const r of ins.added) {
          if (r.collection === Root.meta && typeof r.value?.['unitId'] === 'string') next.unitId = r.value['unitId'];
          const post = (r.value?.['post'] as { id?: unknown } | undefined)?.id;
          if (r.collection === Root.invitations && typeof post === 'string') next.posts.add(post);
        }
        for (const other of document.connections) {
          const os = states.get(other);
          if (other === connection || !os || os.mode !== 'create') continue;
          const d = groupAccess(other.principal, next, dir);
          os.mode = d.mode;
          os.reason = d.reason;
          // Not (yet) a member: the invitation may follow in the next update. Reconnect and be decided again.
          if (d.mode === 'none') other.close(CloseCode.membershipPending, 'group started by someone else; reconnect');
        }
      }
      return null;
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
      if (st?.mode === 'create' && keys.includes(`${Root.meta}/${META_KEY}`)) st.mode = 'write';
      void register(document, keys).catch((error: unknown) =>
        log.error('membership registration failed', { error: error instanceof Error ? error.message : String(error) }),
      );
      for (const k of keys) {
        const [collection, id] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
        const action =
          collection === Root.signoffs
            ? AuditAction.signOff
            : collection === Root.decisionRequests
              ? AuditAction.decisionRequest
              : collection === Root.closeRequests
                ? AuditAction.closeRequest
                : null;
        if (!action) continue;
        const rec = document.doc.getMap(collection).get(id) as Record<string, unknown> | undefined;
        audit.note({
          action,
          actor: connection.principal.sub,
          docName: document.name,
          detail: { id, postId: rec?.['postId'] ?? null, decision: rec?.['decision'] ?? undefined },
        });
      }
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

/**
 * ACL-4: rewrites an awareness update so each state's `user` is the connection's person ({personId, name} from
 * the token) and drops states for client ids another connection of the document announced. Returns the update
 * to apply, or null to drop it. Throws on a malformed update (the relay closes with 4400).
 */
export function bindAwareness(
  update: Uint8Array,
  conn: ConnectionHandle,
  document: DocumentHandle,
  onImpersonation: (claimed: unknown) => void,
): Uint8Array | null {
  const owned = new Set<number>();
  for (const c of document.connections) {
    if (c === conn) continue;
    for (const id of (c as ConnectionHandle & { awarenessIds?: Set<number> }).awarenessIds ?? []) owned.add(id);
  }
  const dec = decoding.createDecoder(update);
  const enc = encoding.createEncoder();
  const n = decoding.readVarUint(dec);
  const out: [number, number, string][] = [];
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(dec);
    const clock = decoding.readVarUint(dec);
    const raw = decoding.readVarString(dec);
    if (owned.has(clientId)) continue;
    const state: unknown = JSON.parse(raw);
    if (state === null) {
      out.push([clientId, clock, raw]);
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) continue;
    const s = state as Record<string, unknown>;
    const user = s['user'];
    const claimed =
      typeof user === 'object' && user !== null ? (user as Record<string, unknown>)['personId'] : undefined;
    if (claimed !== undefined && claimed !== conn.principal.sub) onImpersonation(claimed);
    const bound = {
      ...(typeof user === 'object' && user !== null ? user : {}),
      personId: conn.principal.sub,
      name: conn.principal.name,
    };
    out.push([clientId, clock, JSON.stringify({ ...s, user: bound })]);
  }
  if (out.length === 0) return null;
  encoding.writeVarUint(enc, out.length);
  for (const [id, clock, json] of out) {
    encoding.writeVarUint(enc, id);
    encoding.writeVarUint(enc, clock);
    encoding.writeVarString(enc, json);
  }
  return encoding.toUint8Array(enc);
}
