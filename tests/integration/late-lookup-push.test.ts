/**
 * LATE-2 ASSIST-8: a look-up answer a desk pushed to a member while offline, before the group was closed, is kept
 * when it arrives after the closure (like a clue): acknowledged, never refused, and the member has it. Before, it
 * was cut with a `read-only` notice and the desk's screen waited on it for ever.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Root,
  askQuestion,
  invitePost,
  pushLookupAnswer,
  readAnswer,
  readClosure,
  readMeta,
  requestClose,
  startGroup,
} from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { mgmtPost } from '../helpers/closedGroup.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'g-late-push';
const actor = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

describe('a look-up answer pushed offline reaches a group closed meanwhile', () => {
  let server: TestServer;
  const clients: GroupClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });
  beforeAll(async () => {
    server = await startServer({ manualClock: true, env: { MUSTER_LOOKUP_DEMO_SCALE: '0.002' } });
  });

  it('LATE-2 ASSIST-8: the push made before the closure is kept and reaches the member', async () => {
    const officer = await login(server.url, 'demo015');
    const dataDesk = await login(server.url, 'demo009');
    const mgmt = await login(server.url, 'demo005');
    const doc = new Y.Doc();
    startGroup(doc, {
      id: G,
      kind: 'incident',
      title: '推送后办结 (fictional)',
      incident: { number: 'J-9', type: 'assault', address: '滨江大道66号', reportedAt: null },
      unitId: officer.person.unitId,
      initiator: actor(officer),
      deviceTime: Date.now(),
    });
    invitePost(doc, {
      id: 'inv-data',
      post: { id: 'p-e-data', name: '东城分局数据赋能岗', unitId: 'sb-e', unitName: '东城分局', kind: 'support' },
      invitedBy: actor(officer),
      deviceTime: Date.now(),
    });
    invitePost(doc, { id: 'inv-mgmt', post: mgmtPost, invitedBy: actor(officer), deviceTime: Date.now() });
    askQuestion(doc, { id: 'q0', text: '10020260110 机主是谁', by: actor(officer), deviceTime: Date.now() });
    const a = connectGroup(server.wsUrl, G, officer.token, doc);
    clients.push(a);
    await waitFor(() => readAnswer(a.doc, 'q0'), 30_000, 'the question answered');

    // The data desk reads the answer, loses its link, and pushes it to the officer offline.
    const desk = connectGroup(server.wsUrl, G, dataDesk.token, new Y.Doc());
    clients.push(desk);
    await waitFor(() => desk.provider.synced && readAnswer(desk.doc, 'q0'), 20_000, 'desk synced');
    desk.provider.disconnect();
    pushLookupAnswer(desk.doc, {
      id: 'push-late',
      questionId: 'q0',
      to: actor(officer),
      text: '机主信息已核实 (fictional)',
      by: actor(dataDesk),
      deviceTime: Date.now(),
    });

    // Meanwhile the management desk closes the group.
    const m = connectGroup(server.wsUrl, G, mgmt.token, new Y.Doc());
    clients.push(m);
    await waitFor(() => m.provider.synced && readMeta(m.doc), 20_000, 'management synced');
    requestClose(
      m.doc,
      { id: 'close-1', summary: '处置完毕', by: actor(mgmt), postId: mgmtPost.id, deviceTime: Date.now() },
      Date.now(),
    );
    await waitFor(() => readClosure(m.doc), 20_000, 'closed');

    // The desk is back: its push is kept, acknowledged, and the officer has it.
    desk.provider.connect();
    await waitFor(() => readClosure(desk.doc), 20_000, 'desk learns of the closure');
    const refusedPush = () => desk.notices.find((n) => n.keys?.includes(`${Root.lookupPushes}/push-late`));
    await waitFor(
      () => desk.ackCovers(Root.lookupPushes, 'push-late') || refusedPush(),
      20_000,
      'push acknowledged or refused',
    );
    expect(refusedPush()).toBeUndefined();
    expect(desk.ackCovers(Root.lookupPushes, 'push-late')).toBe(true);
    await waitFor(() => a.doc.getMap(Root.lookupPushes).has('push-late'), 20_000, 'the officer has the push');
  }, 90_000);
});
