/**
 * Fixtures for integration tests of closed groups and refusals: the demo posts they invite, a relay on a manual
 * clock, logins of several demo officers at once, an incident group opened by its initiator with invited posts, and
 * the records those tests write and read back.
 */
import type * as Y from 'yjs';
import { invitePost, readClosure, requestClose, startGroup } from '@muster/core';
import type { Actor, PostRef } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { login, waitFor } from './clients.ts';
import type { GroupClient } from './clients.ts';
import { startServer } from './startServer.ts';
import type { TestServer } from './startServer.ts';

/** The criminal investigation desk of the demo city's east branch (a support post). */
export const cidPost: PostRef = {
  id: 'p-e-cid',
  name: '协同支撑岗',
  unitId: 'br-e-cid',
  unitName: '刑警大队',
  kind: 'support',
};

/** The management desk of the demo city's east sub-bureau. */
export const mgmtPost: PostRef = {
  id: 'p-e-mgmt',
  name: '协同管理岗',
  unitId: 'sb-e',
  unitName: '东城分局',
  kind: 'management',
};

/** The actor a logged-in officer writes as. */
export const actorOf = (l: LoginResponse): Actor => ({ personId: l.person.id, name: l.person.name });

/** Reads an entry back as a stamped record (anything with a string id), for `stampedRecords`. */
export const entryOf = (v: unknown): { id: string; deviceTime: number } | null =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string'
    ? (v as { id: string; deviceTime: number })
    : null;

/** A raw finding entry `id` by `who` at `deviceTime` (written straight into the entries map). */
export const rawFinding = (id: string, who: LoginResponse, deviceTime: number) => ({
  id,
  type: 'finding',
  text: `${id} (fictional)`,
  author: actorOf(who),
  deviceTime,
});

/** A relay of its own whose clock is manual and set to `at`. */
export async function startClockedServer(at: number): Promise<TestServer> {
  const server = await startServer({ manualClock: true });
  await server.moveClock({ set: at });
  return server;
}

/** Logs in the demo officers `policeNos`, in that order. */
export async function loginAll<const N extends readonly string[]>(
  baseUrl: string,
  policeNos: N,
): Promise<{ [K in keyof N]: LoginResponse }> {
  return (await Promise.all(policeNos.map((n) => login(baseUrl, n)))) as { [K in keyof N]: LoginResponse };
}

export interface OpenGroupInput {
  id: string;
  initiator: LoginResponse;
  /** Invitation id to invited post, invited in this order. */
  invite: Record<string, PostRef>;
  /** Further writes in the same transaction as the start. */
  also?: (doc: Y.Doc) => void;
}

/**
 * Opens incident group `id` over `client` (a connection of the initiator): once synced, starts it and invites the
 * posts in one transaction, and resolves when the relay has acknowledged all of it.
 */
export async function openIncidentGroup(client: GroupClient, input: OpenGroupInput): Promise<void> {
  await waitFor(() => client.provider.synced, 20_000, 'initiator synced');
  const by = actorOf(input.initiator);
  client.doc.transact(() => {
    startGroup(client.doc, {
      id: input.id,
      kind: 'incident',
      title: 'T',
      unitId: 'st-e1',
      initiator: by,
      deviceTime: 1,
    });
    for (const [id, post] of Object.entries(input.invite)) {
      invitePost(client.doc, { id, post, invitedBy: by, deviceTime: 1 });
    }
    input.also?.(client.doc);
  });
  await waitFor(() => client.fullyAcked(), 20_000, 'group acked');
}

/**
 * Closes the group over `client` as `by` (the initiator, or acting for `postId`) with a request made at `at` (its
 * device time), and resolves once the relay has written the closure.
 */
export async function closeGroup(
  client: GroupClient,
  by: LoginResponse,
  at: number,
  postId: string | null = null,
): Promise<void> {
  requestClose(
    client.doc,
    { id: 'close-1', summary: '处置完毕 (fictional)', by: actorOf(by), postId, deviceTime: at },
    at,
  );
  await waitFor(() => readClosure(client.doc), 20_000, 'closure written by the relay');
}
