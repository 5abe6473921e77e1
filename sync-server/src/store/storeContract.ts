/**
 * The one contract every Store implementation passes. Each implementation's test file calls `storeContract`
 * with a harness that opens stores on one location (persistent stores reopen what was written).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { GroupSummary } from '@muster/protocol';
import { verifyChain } from '../audit/chain.ts';
import { inboxArchiveContract } from './inboxArchiveContract.ts';
import { isRemoval } from './store.ts';
import type { Directory, GroupMember, GroupPageRow, PersonRecord, Store } from './store.ts';

/** The listed rows of a page (HIST-9: not the removals). */
const listed = (rows: readonly GroupPageRow[]): GroupSummary[] => rows.filter((r) => !isRemoval(r)) as GroupSummary[];

export interface StoreHarness {
  /** Opens a store on the harness's location. */
  open(): Store;
  /** True when a store opened again sees what an earlier one wrote (SQLite file); false for memory. */
  persistent: boolean;
  cleanup(): Promise<void>;
}

const u = (...b: number[]): Uint8Array => new Uint8Array(b);

const group = (id: string, over: Partial<GroupSummary> = {}): GroupSummary => ({
  id,
  title: `Group ${id}`,
  kind: 'incident',
  initiatorName: '测试员',
  createdAt: 1000,
  updatedAt: 2000,
  entryCount: 0,
  ...over,
});

const directory: Directory = {
  units: [
    { id: 'u-city', name: '市局', nameEn: 'City bureau', parentId: null, kind: 'bureau' },
    { id: 'u-sub', name: '分局', nameEn: 'Sub-bureau', parentId: 'u-city', kind: 'sub-bureau', initials: 'fj' },
  ],
  posts: [
    { id: 'p-mgmt', unitId: 'u-sub', name: '协同管理岗', nameEn: 'Management', kind: 'management', capabilities: [] },
    {
      id: 'p-lead',
      unitId: 'u-sub',
      name: '值班领导岗',
      nameEn: 'Duty leader',
      kind: 'leader',
      capabilities: ['duty-leader'],
      initials: 'zbldg',
      phone: '000-0000-0001',
    },
  ],
  onDuty: [{ personId: 'a', postId: 'p-mgmt', since: 7 }],
};

const person = (id: string, policeNo: string): PersonRecord => ({
  id,
  policeNo,
  name: `Person ${id}`,
  unitId: 'u-sub',
  roles: ['frontline'],
  postIds: ['p-mgmt'],
  passwordHash: 'scrypt$x',
});

export function storeContract(name: string, makeHarness: () => StoreHarness | Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.open();
    });
    afterEach(async () => {
      await store.close();
      await h.cleanup();
    });

    inboxArchiveContract(
      () => store,
      async () => {
        if (!h.persistent) return null;
        await store.close();
        store = h.open();
        return store;
      },
    );

    it('loads an unknown document as empty', async () => {
      expect(await store.loadDoc('group:nothing')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 });
    });

    it('appends updates with sequence numbers per document, in one batch', async () => {
      const r1 = await store.appendUpdates([
        { docName: 'a', updates: [u(1), u(2)] },
        { docName: 'b', updates: [u(9)] },
      ]);
      expect(r1).toEqual([
        { docName: 'a', lastSeq: 2, sinceSnapshot: 2 },
        { docName: 'b', lastSeq: 1, sinceSnapshot: 1 },
      ]);
      const r2 = await store.appendUpdates([{ docName: 'a', updates: [u(3)] }]);
      expect(r2[0]!.lastSeq).toBe(3);
      const a = await store.loadDoc('a');
      expect(a.updates.map((x) => [...x])).toEqual([[1], [2], [3]]);
      expect(a.lastSeq).toBe(3);
      expect((await store.loadDoc('b')).updates.map((x) => [...x])).toEqual([[9]]);
    });

    it('keeps the bytes it was given even if the caller reuses the buffer', async () => {
      const buf = u(1, 2, 3);
      await store.appendUpdates([{ docName: 'a', updates: [buf] }]);
      buf[0] = 99;
      expect([...(await store.loadDoc('a')).updates[0]!]).toEqual([1, 2, 3]);
    });

    it('compacts into a snapshot and loads snapshot plus later updates', async () => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (x: Uint8Array) => updates.push(x));
      for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
      await store.appendUpdates([{ docName: 'g', updates: updates.slice(0, 3) }]);
      const snap = Y.mergeUpdates(updates.slice(0, 3));
      await store.compact('g', snap, 3);
      await store.appendUpdates([{ docName: 'g', updates: updates.slice(3) }]);
      const loaded = await store.loadDoc('g');
      expect(loaded.snapshotSeq).toBe(3);
      expect(loaded.updates).toHaveLength(2);
      expect(loaded.lastSeq).toBe(5);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, loaded.snapshot!);
      for (const x of loaded.updates) Y.applyUpdate(copy, x);
      expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      const r = await store.appendUpdates([{ docName: 'g', updates: [] }]);
      expect(r[0]).toEqual({ docName: 'g', lastSeq: 5, sinceSnapshot: 2 });
    });

    it('ignores a compaction older than the stored snapshot or beyond the log', async () => {
      await store.appendUpdates([{ docName: 'g', updates: [u(1), u(2), u(3)] }]);
      await store.compact('g', u(7), 2);
      await store.compact('g', u(8), 1);
      await store.compact('g', u(9), 10);
      const loaded = await store.loadDoc('g');
      expect([...loaded.snapshot!]).toEqual([7]);
      expect(loaded.snapshotSeq).toBe(2);
      expect(loaded.updates.map((x) => [...x])).toEqual([[3]]);
    });

    it('upserts group index rows with the batch and lists them newest first', async () => {
      await store.appendUpdates([
        { docName: 'group:g1', updates: [u(1)], group: group('g1', { updatedAt: 10 }) },
        { docName: 'group:g2', updates: [u(1)], group: group('g2', { updatedAt: 20 }) },
      ]);
      await store.appendUpdates([
        { docName: 'group:g1', updates: [u(2)], group: group('g1', { updatedAt: 30, entryCount: 4, title: 'T' }) },
      ]);
      const list = await store.listGroups();
      expect(list.map((g) => g.id)).toEqual(['g1', 'g2']);
      expect(list[0]).toEqual(group('g1', { updatedAt: 30, entryCount: 4, title: 'T' }));
      expect(await store.getGroup('g2')).toEqual(group('g2', { updatedAt: 20 }));
      expect(await store.getGroup('nope')).toBeNull();
    });

    it('HIST-1: pages the list index by key after a version; a change or a new key moves a group to the end', async () => {
      const status = { closedAt: null, invited: 1, signed: 0, closureDeadline: null, open: [] };
      const add = (id: string, over: Partial<GroupSummary> = {}) =>
        store.appendUpdates([{ docName: `group:${id}`, updates: [u(1)], group: group(id, over) }]);
      for (const id of ['a', 'b', 'c', 'd']) await add(id, { status });
      await store.addGroupMembers([
        { groupId: 'a', kind: 'initiator', ref: 'me', at: 1 },
        { groupId: 'b', kind: 'post', ref: 'p1', at: 1 },
        { groupId: 'c', kind: 'unit', ref: 'u1', at: 1 },
        { groupId: 'd', kind: 'initiator', ref: 'other', at: 1 },
      ]);
      const keys = ['p:me', 'post:p1'];
      const first = listed(await store.listGroupPage({ keys, since: 0, limit: 1 }));
      expect(first.map((g) => g.id)).toEqual(['a']);
      expect(first[0]!.status).toEqual(status);
      const rest = await store.listGroupPage({ keys, since: first[0]!.version!, limit: 10 });
      expect(rest.map((g) => g.id)).toEqual(['b']);
      const cursor = rest[0]!.version!;
      expect(await store.listGroupPage({ keys, since: cursor, limit: 10 })).toEqual([]);
      // a change of a listed group, and a group newly listed under my post, come after the cursor
      await add('a', { entryCount: 3 });
      await store.addGroupMembers([{ groupId: 'd', kind: 'addressed-post', ref: 'p1', at: 2 }]);
      const delta = listed(await store.listGroupPage({ keys, since: cursor, limit: 10 }));
      expect(delta.map((g) => [g.id, g.entryCount])).toEqual([
        ['a', 3],
        ['d', 0],
      ]);
      // the status is kept when a later row comes without one
      expect(delta[0]!.status).toEqual(status);
      const all = await store.listGroupPage({ keys: null, since: 0, limit: 10 });
      expect(all.map((g) => g.id)).toEqual(['b', 'c', 'a', 'd']);
      expect((await store.listGroupPage({ keys: ['u:u1'], since: 0, limit: 10 })).map((g) => g.id)).toEqual(['c']);
    });

    it('HIST-9: a group that left every key of the asker comes as a removal in a delta, never in a list from the start', async () => {
      const add = (id: string) => store.appendUpdates([{ docName: `group:${id}`, updates: [u(1)], group: group(id) }]);
      for (const id of ['a', 'b', 'c']) await add(id);
      await store.addGroupMembers([
        { groupId: 'a', kind: 'post', ref: 'p1', at: 1 },
        { groupId: 'b', kind: 'post', ref: 'p1', at: 1 },
        { groupId: 'b', kind: 'addressed-post', ref: 'p1', at: 1 },
        { groupId: 'c', kind: 'post', ref: 'p1', at: 1 },
        { groupId: 'c', kind: 'person', ref: 'me', at: 1 },
      ]);
      const keys = ['p:me', 'post:p1'];
      const start = await store.listGroupPage({ keys, since: 0, limit: 10 });
      expect(start.map((g) => g.id)).toEqual(['a', 'b', 'c']);
      const cursor = start[start.length - 1]!.version!;
      // a leaves post p1; b still lists under it (addressed too); c still lists under me
      await store.removeGroupMembers([
        { groupId: 'a', kind: 'post', ref: 'p1' },
        { groupId: 'b', kind: 'post', ref: 'p1' },
        { groupId: 'c', kind: 'post', ref: 'p1' },
        { groupId: 'zz', kind: 'post', ref: 'p1' },
      ]);
      const delta = await store.listGroupPage({ keys, since: cursor, limit: 10 });
      expect(delta.map((r) => [r.id, isRemoval(r)])).toEqual([
        ['a', true],
        ['c', false],
      ]);
      expect(delta[0]!.version!).toBeGreaterThan(cursor);
      expect((await store.listGroupMembers('a')).map((m) => m.kind)).toEqual([]);
      // under p1 alone c left too; a list from the start names only what is listed
      const byPost = await store.listGroupPage({ keys: ['post:p1'], since: cursor, limit: 10 });
      expect(byPost.map((r) => [r.id, isRemoval(r)])).toEqual([
        ['a', true],
        ['c', true],
      ]);
      expect((await store.listGroupPage({ keys: ['post:p1'], since: 0, limit: 10 })).map((g) => g.id)).toEqual(['b']);
      // every group stays in the list of all (admins, auditors)
      expect((await store.listGroupPage({ keys: null, since: cursor, limit: 10 })).map((g) => g.id)).toEqual([
        'a',
        'c',
      ]);
      // listed again under the post: a change after the removal, a row again
      const after = delta[delta.length - 1]!.version!;
      await store.addGroupMembers([{ groupId: 'a', kind: 'post', ref: 'p1', at: 3 }]);
      const back = await store.listGroupPage({ keys, since: after, limit: 10 });
      expect(back.map((r) => [r.id, isRemoval(r)])).toEqual([['a', false]]);
      expect(await store.listGroupPage({ keys, since: back[0]!.version!, limit: 10 })).toEqual([]);
    });

    it('seeds the directory and persons once, and finds persons', async () => {
      expect(await store.countPersons()).toBe(0);
      expect(await store.seedDirectory(directory, [person('a', 'demo001'), person('b', 'demo002')])).toBe(true);
      expect(await store.seedDirectory(directory, [person('c', 'demo003')])).toBe(false);
      expect(await store.countPersons()).toBe(2);
      expect(await store.getDirectory()).toEqual(directory);
      expect(await store.findPersonByPoliceNo('demo002')).toEqual(person('b', 'demo002'));
      expect(await store.findPersonByPoliceNo('demo003')).toBeNull();
      expect(await store.getPerson('a')).toEqual(person('a', 'demo001'));
      expect(await store.getPerson('zz')).toBeNull();
    });

    it('refuses duplicate police numbers when seeding and seeds nothing then', async () => {
      await expect(store.seedDirectory(directory, [person('a', 'x'), person('b', 'x')])).rejects.toThrow();
      expect(await store.countPersons()).toBe(0);
    });

    it('DIR-2: replaces the whole directory at once, and keeps on-duty rows', async () => {
      await store.seedDirectory(directory, [person('a', 'demo001'), person('b', 'demo002')]);
      expect(await store.setOnDuty('b', 'p-mgmt', true, 9)).toBe(true);
      expect(await store.setOnDuty('b', 'p-mgmt', true, 10)).toBe(false);
      expect((await store.getDirectory()).onDuty).toEqual([
        ...directory.onDuty,
        { personId: 'b', postId: 'p-mgmt', since: 9 },
      ]);
      expect(await store.setOnDuty('a', 'p-mgmt', false, 11)).toBe(true);
      expect((await store.getDirectory()).onDuty).toEqual([{ personId: 'b', postId: 'p-mgmt', since: 9 }]);
      const next: Directory = { units: directory.units, posts: directory.posts.slice(0, 1), onDuty: [] };
      await store.replaceDirectory(next, [person('c', 'demo003')]);
      expect(await store.getDirectory()).toEqual(next);
      expect((await store.listPersons()).map((p) => p.id)).toEqual(['c']);
      expect(await store.findPersonByPoliceNo('demo001')).toBeNull();
      await expect(store.replaceDirectory(directory, [person('x', 'n'), person('y', 'n')])).rejects.toThrow();
      expect((await store.listPersons()).map((p) => p.id)).toEqual(['c']);
    });

    it('ESC-4: keeps one deadline per document, soonest first', async () => {
      await store.setDeadline('group:b', 20);
      await store.setDeadline('group:a', 30);
      await store.setDeadline('group:a', 10);
      await store.setDeadline('group:c', 5);
      await store.setDeadline('group:c', null);
      expect(await store.listDeadlines()).toEqual([
        { docName: 'group:a', at: 10 },
        { docName: 'group:b', at: 20 },
      ]);
    });

    it('keeps who a group concerns (for the group list)', async () => {
      await store.setGroupAccess({ groupId: 'g1', initiatorId: 'a', unitId: 'u-sub', postIds: ['p-mgmt'] });
      await store.setGroupAccess({ groupId: 'g1', initiatorId: 'a', unitId: 'u-sub', postIds: ['p-mgmt', 'p-lead'] });
      expect(await store.listGroupAccess()).toEqual([
        { groupId: 'g1', initiatorId: 'a', unitId: 'u-sub', postIds: ['p-mgmt', 'p-lead'] },
      ]);
    });

    it('appends audit rows in order and lists after a sequence number', async () => {
      const s1 = await store.appendAudit({ at: 5, actor: 'a', action: 'login', detail: { ok: true } });
      const s2 = await store.appendAudit({ at: 6, actor: null, action: 'refused-update', docName: 'group:x' });
      expect(s2).toBeGreaterThan(s1);
      const all = await store.listAudit();
      expect(all).toMatchObject([
        { seq: s1, at: 5, actor: 'a', action: 'login', docName: null, detail: { ok: true } },
        { seq: s2, at: 6, actor: null, action: 'refused-update', docName: 'group:x', detail: null },
      ]);
      expect(await store.listAudit({ afterSeq: s1 })).toHaveLength(1);
      expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
    });

    it('AUDIT-4: lists audit rows by person, group, action and time range, paged newest first', async () => {
      const rows = [
        { at: 10, actor: 'p1', action: 'group-open', docName: 'group:g1' },
        { at: 20, actor: 'p2', action: 'group-open', docName: 'group:g1' },
        { at: 30, actor: 'p1', action: 'photo-read', docName: 'group:g2' },
        { at: 40, actor: 'p1', action: 'group-open', docName: 'group:g2' },
        { at: 50, actor: null, action: 'limit-exceeded' },
      ];
      const seqs: number[] = [];
      for (const r of rows) seqs.push(await store.appendAudit(r));
      const pick = async (q: Parameters<Store['listAudit']>[0]): Promise<number[]> =>
        (await store.listAudit(q)).map((r) => seqs.indexOf(r.seq));
      expect(await pick({ actor: 'p1' })).toEqual([0, 2, 3]);
      expect(await pick({ docName: 'group:g1' })).toEqual([0, 1]);
      expect(await pick({ action: 'group-open', actor: 'p1' })).toEqual([0, 3]);
      expect(await pick({ fromAt: 20, toAt: 40 })).toEqual([1, 2, 3]);
      expect(await pick({ newestFirst: true, limit: 2 })).toEqual([4, 3]);
      expect(await pick({ newestFirst: true, limit: 2, beforeSeq: seqs[3] })).toEqual([2, 1]);
      expect(await pick({ newestFirst: true, actor: 'p1', beforeSeq: seqs[2] })).toEqual([0]);
      expect(await pick({ actor: 'nobody' })).toEqual([]);
    });

    it('AUDIT-1: chains every audit row to the one before it', async () => {
      await store.appendAudit({ at: 1, actor: 'a', action: 'login' });
      await store.appendAudit({ at: 2, actor: null, action: 'x', docName: 'group:g', detail: { k: [1, 'ü'] } });
      const rows = await store.listAudit();
      const verdict = verifyChain(
        rows.map((r) => ({
          ...r,
          detail: r.detail ? JSON.stringify(r.detail) : null,
          prevHash: r.prevHash ?? null,
          hash: r.hash ?? null,
        })),
      );
      expect(verdict).toMatchObject({ ok: true, rows: 2 });
    });

    it('AUDIT-7: appends the audit rows of a batch of updates with the updates, on the one chain', async () => {
      await store.appendAudit({ at: 1, actor: 'a', action: 'login' });
      const results = await store.appendUpdates([
        {
          docName: 'group:g1',
          updates: [u(1)],
          audit: [{ at: 2, actor: 'a', action: 'sign-off', docName: 'group:g1', detail: { id: 's1' } }],
        },
        { docName: 'group:g2', updates: [u(2)] },
        {
          docName: 'group:g3',
          updates: [u(3)],
          audit: [
            { at: 3, actor: 'b', action: 'close-request', docName: 'group:g3', detail: { id: 'c1' } },
            { at: 3, actor: 'b', action: 'sign-off', docName: 'group:g3', detail: { id: 's2' } },
          ],
        },
      ]);
      expect(results.map((r) => r.lastSeq)).toEqual([1, 1, 1]);
      await store.appendAudit({ at: 4, actor: null, action: 'x' });
      const rows = await store.listAudit();
      expect(rows.map((r) => [r.action, r.docName, r.detail?.['id'] ?? null])).toEqual([
        ['login', null, null],
        ['sign-off', 'group:g1', 's1'],
        ['close-request', 'group:g3', 'c1'],
        ['sign-off', 'group:g3', 's2'],
        ['x', null, null],
      ]);
      const verdict = verifyChain(
        rows.map((r) => ({
          ...r,
          detail: r.detail ? JSON.stringify(r.detail) : null,
          prevHash: r.prevHash ?? null,
          hash: r.hash ?? null,
        })),
      );
      expect(verdict).toMatchObject({ ok: true, rows: 5 });
    });

    it('AUDIT-8: registers the members a batch brings with its updates, a row for each new one only', async () => {
      const reg = (groupId: string, kind: GroupMember['kind'], ref: string) => ({
        member: { groupId, kind, ref, at: 1 },
        audit: {
          at: 2,
          actor: null,
          action: kind === 'initiator' ? 'group-created' : 'member-registered',
          docName: `group:${groupId}`,
          detail: { kind, ref },
        },
      });
      await store.addGroupMembers([{ groupId: 'g2', kind: 'post', ref: 'old', at: 1 }]);
      await store.appendUpdates([
        {
          docName: 'group:g1',
          updates: [u(1)],
          members: [reg('g1', 'initiator', 'p1'), reg('g1', 'unit', 'u1')],
          audit: [{ at: 3, actor: 'p1', action: 'sign-off', docName: 'group:g1', detail: { id: 's1' } }],
        },
        // One registered before, and the same update's rows again (it came again after a crash): no rows.
        {
          docName: 'group:g2',
          updates: [u(2)],
          group: group('g2'),
          members: [reg('g2', 'post', 'old'), reg('g2', 'post', 'new')],
        },
      ]);
      await store.appendUpdates([{ docName: 'group:g1', updates: [u(3)], members: [reg('g1', 'initiator', 'p1')] }]);
      expect((await store.listGroupMembers('g1')).map((m) => [m.kind, m.ref]).sort()).toEqual([
        ['initiator', 'p1'],
        ['unit', 'u1'],
      ]);
      expect((await store.listGroupMembers('g2')).map((m) => m.ref).sort()).toEqual(['new', 'old']);
      const pages = await store.listGroupPage({ keys: ['post:new'], since: 0, limit: 10 });
      expect(listed(pages).map((g) => g.id)).toEqual(['g2']);
      const rows = await store.listAudit();
      expect(rows.map((r) => [r.action, r.docName, r.detail?.['ref'] ?? r.detail?.['id']])).toEqual([
        ['group-created', 'group:g1', 'p1'],
        ['member-registered', 'group:g1', 'u1'],
        ['sign-off', 'group:g1', 's1'],
        ['member-registered', 'group:g2', 'new'],
      ]);
      const verdict = verifyChain(
        rows.map((r) => ({
          ...r,
          detail: r.detail ? JSON.stringify(r.detail) : null,
          prevHash: r.prevHash ?? null,
          hash: r.hash ?? null,
        })),
      );
      expect(verdict).toMatchObject({ ok: true, rows: 4 });
    });

    it('AUTH-3: keeps sessions with a rotating refresh hash and revokes them', async () => {
      const base = { personId: 'p1', createdAt: 1, expiresAt: 100, revokedAt: null };
      await store.createSession({ id: 's1', refreshHash: 'h1', ...base });
      await store.createSession({ id: 's2', refreshHash: 'h2', ...base });
      expect(await store.rotateSession('s1', 'h0', 'h3', 200)).toBe(false);
      expect(await store.rotateSession('s1', 'h1', 'h3', 200)).toBe(true);
      expect(await store.getSession('s1')).toMatchObject({ refreshHash: 'h3', expiresAt: 200, revokedAt: null });
      expect((await store.revokeSessions({ personId: 'p1' }, 50)).sort()).toEqual(['s1', 's2']);
      expect(await store.revokeSessions({ sessionId: 's1' }, 60)).toEqual([]);
      expect(await store.getSession('s2')).toMatchObject({ revokedAt: 50 });
      expect(await store.rotateSession('s1', 'h3', 'h4', 300)).toBe(false);
      expect(await store.getSession('nope')).toBeNull();
    });

    it('ACL-2: keeps the first membership row of each kind and ref', async () => {
      await store.addGroupMembers([
        { groupId: 'g', kind: 'initiator', ref: 'p1', at: 1 },
        { groupId: 'g', kind: 'post', ref: 'p-x', at: 2 },
      ]);
      await store.addGroupMembers([{ groupId: 'g', kind: 'post', ref: 'p-x', at: 3 }]);
      expect(await store.listGroupMembers('g')).toEqual([
        { groupId: 'g', kind: 'initiator', ref: 'p1', at: 1 },
        { groupId: 'g', kind: 'post', ref: 'p-x', at: 2 },
      ]);
      expect(await store.listGroupMembers('other')).toEqual([]);
    });

    it('AUTH-1: keeps one login-throttle row per key, replaced or removed, by key', async () => {
      await store.setThrottle('r:10.0.0.1', { failures: [3], lockedUntil: 0, locks: 0 });
      await store.setThrottle('a:demo001', { failures: [1, 2], lockedUntil: 0, locks: 0 });
      await store.setThrottle('a:demo001', { failures: [], lockedUntil: 500, locks: 1 });
      await store.setThrottle('a:demo002', { failures: [4], lockedUntil: 0, locks: 0 });
      await store.setThrottle('a:demo002', null);
      await store.setThrottle('a:never', null);
      expect(await store.listThrottle()).toEqual([
        { key: 'a:demo001', failures: [], lockedUntil: 500, locks: 1 },
        { key: 'r:10.0.0.1', failures: [3], lockedUntil: 0, locks: 0 },
      ]);
    });

    it('keeps everything across close and reopen when persistent', async () => {
      if (!h.persistent) return;
      await store.appendUpdates([{ docName: 'group:g1', updates: [u(1), u(2)], group: group('g1') }]);
      await store.seedDirectory(directory, [person('a', 'demo001')]);
      await store.appendAudit({ at: 1, actor: 'a', action: 'login' });
      await store.setDeadline('group:g1', 42);
      await store.setThrottle('a:demo001', { failures: [7], lockedUntil: 900, locks: 2 });
      await store.close();
      store = h.open();
      expect((await store.loadDoc('group:g1')).updates).toHaveLength(2);
      expect(await store.listGroups()).toHaveLength(1);
      expect(await store.countPersons()).toBe(1);
      expect(await store.listAudit()).toHaveLength(1);
      expect(await store.listDeadlines()).toEqual([{ docName: 'group:g1', at: 42 }]);
      expect(await store.listThrottle()).toEqual([{ key: 'a:demo001', failures: [7], lockedUntil: 900, locks: 2 }]);
      expect(await store.getDirectory()).toEqual(directory);
      const r = await store.appendUpdates([{ docName: 'group:g1', updates: [u(3)] }]);
      expect(r[0]!.lastSeq).toBe(3);
    });
  });
}
