/**
 * ASSIST-10 LATE-2: a question to the look-up assistant asked offline, while the group was still open, reaches the
 * relay after the group was closed meanwhile. It is late field work: kept, stamped after the closure and answered
 * (never left "looking up…"). A question the device writes after it had the closure is cut with a `read-only`
 * notice `closed` naming it, so the device can show it as not accepted instead of waiting. Manual clock, own
 * server, small demo look-up data.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, askQuestion, lookupThread, readAnswer, readClosure, readMeta } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf, cidPost, loginAll, mgmtPost, openIncidentGroup, closeGroup } from '../helpers/closedGroup.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const G = 'grp-assist-late';

describe('ASSIST-10: a question that reaches a closed group', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let mgmt: LoginResponse;
  const clients: GroupClient[] = [];

  const connect = (who: LoginResponse, doc = new Y.Doc()): GroupClient => {
    const c = connectGroup(server.wsUrl, G, who.token, doc);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer({ manualClock: true, env: { MUSTER_LOOKUP_DEMO_SCALE: '0.002' } });
    await server.moveClock({ set: T0 });
    [front, cid, mgmt] = await loginAll(server.url, ['demo016', 'demo010', 'demo005']);
    await openIncidentGroup(connect(front), {
      id: G,
      initiator: front,
      invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost },
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('ASSIST-10 LATE-2: asked offline before the closure arrived, it is kept and answered; asked after, it is cut', async () => {
    const a = connect(cid);
    await waitFor(() => a.provider.synced && a.doc.getMap(Root.invitations).has('inv-cid'), 20_000, 'A synced');

    // A loses coverage and asks while the group is open on its screen.
    a.provider.disconnect();
    askQuestion(a.doc, { id: 'q-late', text: '10020260110 机主是谁', by: actorOf(cid), deviceTime: T0 });

    // Meanwhile the management desk closes the group.
    const m = connect(mgmt);
    await waitFor(() => m.provider.synced && readMeta(m.doc), 20_000, 'management synced');
    await closeGroup(m, mgmt, T0, mgmtPost.id);

    // A is back: the question is kept, stamped after the closure, and answered.
    await server.moveClock({ advanceMs: MIN });
    a.provider.connect();
    await waitFor(() => readClosure(a.doc), 20_000, 'A learns of the closure');
    const answer = await waitFor(() => readAnswer(a.doc, 'q-late'), 30_000, 'answer to the late question');
    expect(answer.status).toBe('answered');
    expect(answer.results.find((r) => r.source === 'phones')?.total).toBe(1);
    const item = lookupThread(a.doc).find((i) => i.question.id === 'q-late')!;
    expect(item.question.serverTime).toBe(T0 + MIN);
    expect(item.question.afterClosure).toBe(true);
    expect(a.notices.filter((n) => n.keys?.length)).toEqual([]);
    // The management desk sees it too.
    await waitFor(() => readAnswer(m.doc, 'q-late'), 20_000, 'the desk sees the answer');

    // After that sync, a question from A (a client that ignores CLOSE-5) is cut and named, never left waiting.
    await waitFor(() => a.fullyAcked(), 20_000, 'A fully acked');
    a.doc.getMap(Root.questions).set('q-after', {
      id: 'q-after',
      text: '10020260110 机主是谁',
      by: actorOf(cid),
      deviceTime: T0,
    });
    await waitFor(
      () =>
        a.notices.some((n) => n.kind === 'read-only' && n.code === 'closed' && n.keys?.includes('questions/q-after')),
      20_000,
      'read-only notice naming the question',
    );
    await waitFor(() => a.fullyAcked(), 20_000, 'A not stuck');
    expect(m.doc.getMap(Root.questions).has('q-after')).toBe(false);

    // Audited: the late question as late work, and its look-up.
    const rows = await waitFor(
      () => {
        const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
        try {
          const r = db
            .prepare("SELECT action, detail FROM audit WHERE action IN ('late-received', 'lookup') ORDER BY seq")
            .all() as { action: string; detail: string }[];
          return r.some((x) => x.action === 'lookup') ? r : null;
        } finally {
          db.close();
        }
      },
      20_000,
      'audit rows',
    );
    expect(rows.some((r) => r.action === 'late-received' && r.detail.includes('questions/q-late'))).toBe(true);
    const lookups = rows
      .filter((r) => r.action === 'lookup')
      .map((r) => JSON.parse(r.detail) as { questionId: string });
    expect(lookups.map((l) => l.questionId)).toEqual(['q-late']);
  });
});
