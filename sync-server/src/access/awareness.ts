/** ACL-4: awareness states are bound to the connection's person. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ConnectionHandle, DocumentHandle } from '../relay/types.ts';

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
