import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { STAMPS_ROOT } from '@muster/protocol';
import { addFinding, defineRoots, stampRecords, startGroup, unstampedRefs } from '@muster/core';
import { checkClientUpdate } from './serverOwned.ts';

const actor = { personId: 'p1', name: 'Officer (fictional)' };

function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  return doc;
}

/** Syncs `from` into `to` fully (both directions are not needed here). */
const sync = (from: Y.Doc, to: Y.Doc): void => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

/** The update a client makes by running `edit` on its replica of `server`. */
function clientUpdate(server: Y.Doc, edit: (client: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc();
  sync(server, client);
  const before = Y.encodeStateVector(client);
  edit(client);
  return Y.encodeStateAsUpdate(client, before);
}

const check = (server: Y.Doc, update: Uint8Array) => checkClientUpdate(server, Y.decodeUpdate(update));

function stampedServer(): Y.Doc {
  const server = serverDoc();
  Y.applyUpdate(
    server,
    clientUpdate(server, (c) => {
      startGroup(c, { id: 'grp-001', kind: 'incident', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
      addFinding(c, { id: 'f1', text: 'seen', author: actor, deviceTime: 2 });
    }),
  );
  stampRecords(server, unstampedRefs(server), 1000, 'server');
  return server;
}

describe('checkClientUpdate (STAMP-3)', () => {
  it('accepts honest edits made through core commands', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => addFinding(c, { id: 'f2', text: 'more', author: actor, deviceTime: 3 }));
    expect(check(server, u)).toEqual({ ok: true });
  });

  it('accepts a full state update that repeats deletions the server already made in its own roots', () => {
    const server = stampedServer();
    server.transact(() => server.getMap(STAMPS_ROOT).set('entries/f1', { at: 2000 }), 'server');
    const client = new Y.Doc();
    sync(server, client);
    expect(check(server, Y.encodeStateAsUpdate(client))).toEqual({ ok: true });
  });

  it('refuses a new key in server:stamps', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => c.getMap(STAMPS_ROOT).set('entries/fake', { at: 1 }));
    expect(check(server, u)).toMatchObject({ ok: false, code: 'server-owned' });
  });

  it('refuses overwriting an existing stamp (parent implied by origin)', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => c.getMap(STAMPS_ROOT).set('entries/f1', { at: 1 }));
    expect(check(server, u)).toMatchObject({ ok: false, code: 'server-owned' });
  });

  it('refuses deleting a stamp', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => c.getMap(STAMPS_ROOT).delete('entries/f1'));
    expect(check(server, u)).toMatchObject({ ok: false, code: 'server-owned' });
  });

  it('refuses nested types under a server root, and any other server: root', () => {
    const server = stampedServer();
    const nested = clientUpdate(server, (c) => {
      const m = new Y.Map<unknown>();
      c.getMap(STAMPS_ROOT).set('x', m);
      m.set('inner', 1);
    });
    expect(check(server, nested)).toMatchObject({ ok: false, code: 'server-owned' });
    const other = clientUpdate(server, (c) => c.getArray('server:members').push(['me']));
    expect(check(server, other)).toMatchObject({ ok: false, code: 'server-owned' });
  });

  it('refuses when a forged item hides among honest ones', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => {
      addFinding(c, { id: 'f2', text: 'ok', author: actor, deviceTime: 3 });
      c.getMap(STAMPS_ROOT).set('entries/f2', { at: 5 });
      addFinding(c, { id: 'f3', text: 'ok', author: actor, deviceTime: 4 });
    });
    expect(check(server, u)).toMatchObject({ ok: false, code: 'server-owned' });
  });

  it('refuses deletions of structs the server has not got yet (a future stamp)', () => {
    const server = stampedServer();
    const next = Y.getState(server.store, server.clientID);
    expect(check(server, deleteOnly(server.clientID, next, 3))).toMatchObject({ ok: false, code: 'out-of-order' });
    expect(check(server, deleteOnly(server.clientID, 0, 1))).toMatchObject({ ok: false, code: 'server-owned' });
    const honest = clientUpdate(server, (c) => c.getMap('entries').delete('f1'));
    expect(check(server, honest)).toEqual({ ok: true });
  });

  it('refuses an update that skips part of a client clock', () => {
    const server = stampedServer();
    const client = new Y.Doc();
    sync(server, client);
    const sv = Y.encodeStateVector(client);
    addFinding(client, { id: 'f2', text: 'first', author: actor, deviceTime: 3 });
    const mid = Y.encodeStateVector(client);
    addFinding(client, { id: 'f3', text: 'second', author: actor, deviceTime: 4 });
    expect(check(server, Y.encodeStateAsUpdate(client, mid))).toMatchObject({ ok: false, code: 'out-of-order' });
    expect(check(server, Y.encodeStateAsUpdate(client, sv))).toEqual({ ok: true });
  });

  it('accepts long insertion chains in one update without deep recursion', () => {
    const server = stampedServer();
    const u = clientUpdate(server, (c) => {
      // Prepending makes items that do not merge: each one's right origin is the item before it.
      const a = c.getArray<number>('notes');
      for (let i = 0; i < 20_000; i++) a.insert(0, [i]);
    });
    expect(check(server, u)).toEqual({ ok: true });
  });
});

/** A V1 update with no structs and one delete range: varUint(0 clients), then the delete set. */
function deleteOnly(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of [0, 1, client, 1, clock, len]) encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
}
