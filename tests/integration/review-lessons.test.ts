/**
 * REVIEW-3 / POL-18 over the relay: once the group is closed, its initiator writes a lesson of the review and the
 * relay keeps it (new work after the closure, not cut as late) with its server time; a support desk of the group may
 * not (refused, never applied); once the record is sealed, a lesson is cut like every write (LATE-3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, readClosure, readLessons, readSeal, requestSeal, writeLesson } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  actorOf,
  cidPost,
  loginAll,
  mgmtPost,
  openIncidentGroup,
  startClockedServer,
  closeGroup,
} from '../helpers/closedGroup.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const G = 'grp-lessons';

describe('REVIEW-3: lessons of the review', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let mgmt: LoginResponse;
  const clients: GroupClient[] = [];

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front] = await loginAll(server.url, ['demo016']);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('REVIEW-3 POL-18: kept after closure with its server time for the initiator, refused for a support desk, cut once sealed', async () => {
    const initiator = connectGroup(server.wsUrl, G, front.token);
    clients.push(initiator);
    await openIncidentGroup(initiator, {
      id: G,
      initiator: front,
      invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost },
    });
    await closeGroup(initiator, front, T0);
    const at = await server.moveClock({ advanceMs: 3_600_000 });
    // Access tokens expire by the server clock: the others log in now.
    [cid, mgmt] = await loginAll(server.url, ['demo010', 'demo005']);

    writeLesson(initiator.doc, { id: 'l-1', text: '首次响应及时（虚构）', author: actorOf(front), deviceTime: at });
    await waitFor(() => readLessons(initiator.doc)[0]?.serverTime, 20_000, 'lesson stamped');
    expect(readLessons(initiator.doc).map((l) => [l.id, l.record.author.personId, l.serverTime])).toEqual([
      ['l-1', 'demo016', at],
    ]);

    // The criminal desk is a member but not one who writes lessons: refused, never applied.
    const desk = connectGroup(server.wsUrl, G, cid.token);
    clients.push(desk);
    await waitFor(() => desk.provider.synced && readClosure(desk.doc), 20_000, 'desk synced');
    desk.doc.getMap(Root.lessons).set('l-cid', { id: 'l-cid', text: '不该写入', author: actorOf(cid), deviceTime: at });
    await waitFor(() => desk.notices.some((n) => n.kind === 'refused'), 20_000, 'refusal of the desk lesson');
    expect(desk.notices.find((n) => n.kind === 'refused')).toMatchObject({ code: 'not-allowed' });
    expect(desk.notices.find((n) => n.kind === 'refused')?.message).toContain('lessons/l-cid');
    await waitFor(() => initiator.fullyAcked(), 20_000, 'initiator up to date');
    expect(initiator.doc.getMap(Root.lessons).has('l-cid')).toBe(false);

    // Sealed by the management desk: a further lesson is cut with a `sealed` notice.
    const deskClient = connectGroup(server.wsUrl, G, mgmt.token);
    clients.push(deskClient);
    await waitFor(() => deskClient.provider.synced && readClosure(deskClient.doc), 20_000, 'desk synced');
    requestSeal(deskClient.doc, { id: 'seal-1', by: actorOf(mgmt), postId: mgmtPost.id, deviceTime: at });
    await waitFor(() => readSeal(initiator.doc), 20_000, 'sealed');
    initiator.doc
      .getMap(Root.lessons)
      .set('l-2', { id: 'l-2', text: '封存后（虚构）', author: actorOf(front), deviceTime: at });
    await waitFor(() => initiator.notices.some((n) => n.code === 'sealed'), 20_000, 'sealed notice');
    expect(initiator.notices.find((n) => n.code === 'sealed')?.keys).toEqual(['lessons/l-2']);
    expect(deskClient.doc.getMap(Root.lessons).has('l-2')).toBe(false);
  });
});
