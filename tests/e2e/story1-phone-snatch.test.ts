/**
 * Story 1 of domain.md in real browsers against the real server with a manual server clock: 01:00, a phone
 * snatched in a shop. The station officer (tablet, offline part of the time) starts a theft/robbery group by one
 * tap; the sub-bureau's management desk signs from its desk board, pulls in the data desk by directory search;
 * the duty leader and the criminal and patrol brigade desks sign; the leader supervises and gives an instruction
 * that its addressees acknowledge; the management desk pushes a clue to the patrol brigade's officers; a patrol
 * officer gets it in the inbox and acknowledges; the group is closed with a result, timely; the record shows it.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { MGMT_POST, addFinding, byTestId, numAttr, waitForCachedDirectory } from './support.ts';
import { browserSuite } from './suite.ts';
import type { Opened } from './suite.ts';

const TABLET = { width: 800, height: 1280 };
const DESKTOP = { width: 1440, height: 900 };
const LEADER_POST = 'p-e-leader';
const CID_POST = 'p-e-cid';
const PATROL_POST = 'p-e-patrol';
const DATA_POST = 'p-e-data';
const TEMPLATE_POSTS = [MGMT_POST, LEADER_POST, CID_POST, PATROL_POST];
const INSTRUCTION = '立即组织巡特警在周边设卡，刑警调取店内及沿街监控';
const CLUE = '嫌疑人男，约25岁，黑色外套，骑电动车向北逃窜';
const SUMMARY = '嫌疑人49分钟后在东湖路被抓获，手机已追回';

type Officer = Opened;

describe.skipIf(!browserAvailable())('browser: story 1, a phone snatched in a shop', () => {
  const suite = browserSuite({ manualClock: true });

  function officer(policeNo: string, viewport = DESKTOP): Promise<Officer> {
    return suite.open({ viewport, policeNo });
  }

  async function leave(o: Officer): Promise<void> {
    expect(o.errors).toEqual([]);
    await o.context.close();
  }

  /** Signs for the officer's post from the desk board (one click opens the group and signs). */
  async function signFromBoard(o: Officer, groupId: string, postId: string): Promise<number> {
    await o.page.getByTestId('nav-board').click();
    const item = byTestId(o.page, 'board-item', { 'data-group-id': groupId, 'data-post-id': postId });
    await item.getByTestId('board-sign').click();
    const row = byTestId(o.page, 'invitation-row', { 'data-post-id': postId, 'data-status': 'signed-on-time' });
    const stamp = row.getByTestId('signoff-server-time');
    await stamp.waitFor();
    return numAttr(stamp, 'data-server-time');
  }

  it('TPL-4 GRP-1 SLA-2 STAMP-1 DIR-5 SUP-1 INS-1 INS-3 CLUE-2 CLUE-3 ACL-8 INBOX-1 INBOX-2 CLOSE-1 CLOSE-4 REC-1: one tap offline on a tablet to a timely closure and its record', async () => {
    const t0 = await suite.server.moveClock({ advanceMs: 0 });

    // The station officer's tablet: logged in online, app shell and directory cached; then the network drops.
    const a = await officer('demo015', TABLET);
    await waitForServiceWorker(a.page);
    await waitForCachedDirectory(a.page, MGMT_POST);
    await a.context.setOffline(true);
    await byTestId(a.page, 'connection', { 'data-state': 'offline' }).waitFor();

    // TPL-4: one tap, offline, from the theft/robbery template; its posts are invited at once, pending.
    await a.page.getByTestId('new-group').click();
    await byTestId(a.page, 'template-option', { 'data-incident-type': 'theft' }).click();
    for (const p of TEMPLATE_POSTS) await byTestId(a.page, 'template-post', { 'data-post-id': p }).waitFor();
    await a.page.getByTestId('one-tap-title').fill('商店手机被抢 (fictional)');
    await a.page.getByTestId('one-tap-number').fill('J2030-0100');
    await a.page.getByTestId('one-tap-address').fill('东湖路 18 号手机店 (fictional)');
    await a.page.getByTestId('one-tap-start').click();
    const meta = a.page.getByTestId('group-meta');
    await meta.waitFor();
    const groupId = (await meta.getAttribute('data-group-id'))!;
    expect(groupId).toBeTruthy();
    for (const p of TEMPLATE_POSTS)
      await byTestId(a.page, 'invitation-row', { 'data-post-id': p, 'data-status': 'pending' }).waitFor();
    await addFinding(a.page, '店主称嫌疑人抢走手机两部后向北逃跑');
    expect(await byTestId(a.page, 'timeline-entry', { 'data-stamped': 'true' }).count()).toBe(0);

    // Back online: the relay registers the invitations (their deadlines start now, by the server's clock).
    await a.context.setOffline(false);
    await byTestId(a.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    for (const p of TEMPLATE_POSTS)
      await byTestId(a.page, 'invitation-row', { 'data-post-id': p, 'data-status': 'waiting' }).waitFor();

    // The management desk (desktop) sees it on its board and signs on time, stamped by the server (SLA-2).
    const b = await officer('demo005');
    await b.page.getByTestId('nav-board').click();
    const boardItem = byTestId(b.page, 'board-item', { 'data-group-id': groupId, 'data-post-id': MGMT_POST });
    await boardItem.waitFor();
    expect(await boardItem.getAttribute('data-urgency')).not.toBe('overdue');
    expect(await numAttr(boardItem.getByTestId('board-countdown'), 'data-deadline')).toBe(t0 + 10 * 60_000);
    const mgmtSigned = await signFromBoard(b, groupId, MGMT_POST);
    expect(mgmtSigned).toBe(t0);
    // The tablet sees the stamped sign-off too.
    await byTestId(a.page, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'signed-on-time' })
      .getByTestId('signoff-server-time')
      .waitFor();

    // DIR-5: the management desk pulls in the data desk by directory search (pinyin initials); the template
    // already invited the duty leader and the criminal and patrol brigades, shown as invited in the search.
    await b.page.getByTestId('invite-search').fill('dcfj');
    await expect.poll(() => byTestId(b.page, 'invite-result', { 'data-post-id': LEADER_POST }).isDisabled()).toBe(true);
    await b.page.getByTestId('invite-search').fill('数据赋能');
    await byTestId(b.page, 'invite-result', { 'data-post-id': DATA_POST }).click();
    await byTestId(b.page, 'invitation-row', { 'data-post-id': DATA_POST, 'data-status': 'waiting' }).waitFor();
    await b.page.getByTestId('invite-search').fill('');

    // Two minutes on, the criminal brigade and data desks sign from their boards.
    await suite.server.moveClock({ advanceMs: 2 * 60_000 });
    for (const [no, post] of [
      ['demo010', CID_POST],
      ['demo009', DATA_POST],
    ] as const) {
      const o = await officer(no);
      expect(await signFromBoard(o, groupId, post)).toBe(t0 + 2 * 60_000);
      await leave(o);
    }

    // The duty leader signs, supervises and gives an instruction to the management desk and the initiator.
    const l = await officer('demo007');
    expect(await signFromBoard(l, groupId, LEADER_POST)).toBe(t0 + 2 * 60_000);
    await l.page.getByTestId('supervise').click();
    await l.page.getByTestId('supervising').waitFor();
    await l.page.getByTestId('supervisors').filter({ hasText: '郑演示07' }).waitFor();
    await l.page.getByTestId('instruction-text').fill(INSTRUCTION);
    await byTestId(l.page, 'instruction-to', { 'data-addressee-id': MGMT_POST }).check();
    await byTestId(l.page, 'instruction-to', { 'data-addressee-id': 'demo015' }).check();
    await l.page.getByTestId('instruction-submit').click();
    const insOnL = byTestId(l.page, 'timeline-entry', { 'data-entry-type': 'instruction' });
    await insOnL.filter({ hasText: INSTRUCTION }).waitFor();

    // INS-1: the addressees acknowledge (the tablet and the management desk).
    for (const o of [a, b]) {
      const ins = byTestId(o.page, 'timeline-entry', { 'data-entry-type': 'instruction' });
      await ins.filter({ hasText: INSTRUCTION }).waitFor();
      await ins.getByTestId('instruction-ack').click();
      await ins.getByTestId('instruction-ack').waitFor({ state: 'detached' });
    }
    // INS-3: the leader sees who acknowledged, per addressee.
    await byTestId(insOnL, 'instruction-acks', { 'data-fully-acked': 'true' }).waitFor();
    await expect
      .poll(() => byTestId(insOnL, 'instruction-addressee', { 'data-addressee-id': MGMT_POST }).textContent())
      .toContain('周演示05');
    expect(
      await byTestId(insOnL, 'instruction-addressee', { 'data-addressee-id': 'demo015', 'data-acked': 'true' })
        .getByTestId('instruction-acked-by')
        .textContent(),
    ).toContain('韩演示15');
    await leave(l);

    // CLUE-2: the management desk pushes a clue to the patrol brigade's officers (demo011, demo014).
    await b.page.getByTestId('clue-open').click();
    await b.page.getByTestId('clue-text').fill(CLUE);
    await byTestId(b.page, 'clue-unit', { 'data-unit-id': 'br-e-patrol' }).check();
    await b.page.getByTestId('clue-submit').click();
    const clueOnB = byTestId(b.page, 'timeline-entry', { 'data-entry-type': 'clue' }).filter({ hasText: CLUE });
    await byTestId(clueOnB, 'clue-ack-count', { 'data-acked': '0', 'data-total': '2' }).waitFor();

    // INBOX-1: a patrol officer of the brigade (on duty at its desk too) learns of the clue from the inbox, unread.
    const p = await officer('demo011');
    const unread = p.page.getByTestId('unread-count');
    await unread.waitFor();
    await expect.poll(async () => Number(await unread.textContent())).toBeGreaterThanOrEqual(2);
    const clueItem = byTestId(p.page, 'inbox-item', { 'data-kind': 'clue' });
    await p.page.getByTestId('nav-inbox').click();
    await clueItem.filter({ hasText: CLUE }).waitFor();
    expect(await clueItem.getAttribute('data-read')).toBe('false');
    await byTestId(p.page, 'inbox-item', { 'data-kind': 'invitation' }).first().waitFor();
    // Opening it reads it (INBOX-2) and opens the group; the officer signs the patrol desk and acknowledges.
    const before = Number(await unread.textContent());
    await clueItem.getByTestId('inbox-open').click();
    await p.page.getByTestId('group-meta').waitFor();
    const clueOnP = byTestId(p.page, 'timeline-entry', { 'data-entry-type': 'clue' }).filter({ hasText: CLUE });
    await clueOnP.getByTestId('clue-ack').click();
    await clueOnP.getByTestId('clue-ack').waitFor({ state: 'detached' });
    await byTestId(p.page, 'invitation-row', { 'data-post-id': PATROL_POST }).getByTestId('sign-button').click();
    await byTestId(p.page, 'invitation-row', { 'data-post-id': PATROL_POST, 'data-status': 'signed-on-time' })
      .getByTestId('signoff-server-time')
      .waitFor();
    await expect
      .poll(async () => ((await unread.isVisible()) ? Number(await unread.textContent()) : 0))
      .toBeLessThan(before);

    // CLUE-3: the sender sees who acknowledged.
    await byTestId(clueOnB, 'clue-ack-count', { 'data-acked': '1', 'data-total': '2' }).waitFor();
    expect(await clueOnB.getByTestId('clue-acked-by').textContent()).toContain('褚演示11');
    await leave(p);

    // ACL-8, INBOX-1: the brigade's other patrol officer, who staffs no desk, gets it on the device too, opens
    // the group from the inbox as a recipient of the clue, and acknowledges; the sender sees both.
    const q = await officer('demo014');
    await q.page.getByTestId('unread-count').waitFor();
    expect(Number(await q.page.getByTestId('unread-count').textContent())).toBeGreaterThanOrEqual(1);
    await q.page.getByTestId('nav-inbox').click();
    const clueForQ = byTestId(q.page, 'inbox-item', { 'data-kind': 'clue', 'data-read': 'false' });
    await clueForQ.filter({ hasText: CLUE }).getByTestId('inbox-open').click();
    const clueOnQ = byTestId(q.page, 'timeline-entry', { 'data-entry-type': 'clue' }).filter({ hasText: CLUE });
    await clueOnQ.getByTestId('clue-ack').click();
    await clueOnQ.getByTestId('clue-ack').waitFor({ state: 'detached' });
    await byTestId(clueOnB, 'clue-ack-count', { 'data-acked': '2', 'data-total': '2' }).waitFor();
    expect(await clueOnB.getByTestId('clue-acked-by').textContent()).toContain('沈演示14');
    await leave(q);

    // CLOSE-1, CLOSE-4: 49 minutes after the start the suspect is caught; the management desk closes, timely.
    const closedAt = await suite.server.moveClock({ advanceMs: 47 * 60_000 });
    await b.page.getByTestId('close-summary').fill(SUMMARY);
    await b.page.getByTestId('close-submit').click();
    const closure = byTestId(b.page, 'closure-record', { 'data-timely': 'true' });
    await closure.waitFor();
    expect(await numAttr(closure, 'data-server-time')).toBe(closedAt);
    expect(closedAt - t0).toBe(49 * 60_000);
    await b.page.getByTestId('group-closed').waitFor();
    await a.page.getByTestId('group-closed').waitFor();
    expect(await a.page.getByTestId('finding-text').count()).toBe(0);

    // REC-1: the record has every invitation signed on time, the instruction with its acknowledgements and the
    // clue with its count, and the closure.
    await b.page.getByTestId('record-link').click();
    const rec = b.page.getByTestId('record-page');
    await rec.waitFor();
    for (const post of [...TEMPLATE_POSTS, DATA_POST])
      await byTestId(rec, 'record-invitation', { 'data-post-id': post, 'data-status': 'signed-on-time' }).waitFor();
    expect(await byTestId(rec, 'record-invitation').count()).toBe(5);
    const instructions = await rec.getByTestId('record-instructions').textContent();
    expect(instructions).toContain(INSTRUCTION);
    expect(instructions).toContain('周演示05');
    expect(instructions).toContain('韩演示15');
    expect(await rec.textContent()).toContain(CLUE);
    expect(await rec.getByTestId('record-closure').textContent()).toContain(SUMMARY);

    await leave(a);
    await leave(b);
  }, 90_000);
});
