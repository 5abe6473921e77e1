/**
 * Story 2 of domain.md in real browsers against the real server with a manual server clock: a ride-hailing
 * driver hit with a wrench. One tap from the assault template; the management desk signs on time; the legal
 * brigade desk does not sign, and when the server's clock passes its 30 minutes the server records an overdue
 * event in the group and escalates to the duty leader's inbox; the late desk then signs, judged late; a
 * data-query authorisation is requested and decided by the leader (stamped); closing with an open task is
 * refused, waiving it with a reason lets the management desk close; the record shows the late verdict and the
 * escalation.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { MGMT_POST, byTestId, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';
import type { Opened } from './suite.ts';

const MIN = 60_000;
const TABLET = { width: 800, height: 1280 };
const DESKTOP = { width: 1440, height: 900 };
const LEADER_POST = 'p-e-leader';
const LEGAL_POST = 'p-e-legal';
const TEMPLATE_POSTS = [MGMT_POST, LEADER_POST, 'p-e-data', 'p-e-cid', LEGAL_POST, 'p-e-traffic'];
const TASK = '调取案发路段监控';
const WAIVE_REASON = '乘客行车记录仪已提供完整视频';
const SUMMARY = '嫌疑人已在现场被控制，伤者送医';

type Officer = Opened;

describe.skipIf(!browserAvailable())('browser: story 2, a late support post escalates to the duty leader', () => {
  const suite = browserSuite({ manualClock: true });

  function officer(policeNo: string, viewport = DESKTOP): Promise<Officer> {
    return suite.open({ viewport, policeNo });
  }

  async function leave(o: Officer): Promise<void> {
    expect(o.errors).toEqual([]);
    await o.context.close();
  }

  /** Signs for the officer's post from the desk board; resolves to the sign-off's server stamp. */
  async function signFromBoard(o: Officer, groupId: string, postId: string, verdict: string): Promise<number> {
    await o.page.getByTestId('nav-board').click();
    const item = byTestId(o.page, 'board-item', { 'data-group-id': groupId, 'data-post-id': postId });
    await item.getByTestId('board-sign').click();
    const row = byTestId(o.page, 'invitation-row', { 'data-post-id': postId, 'data-status': verdict });
    const stamp = row.getByTestId('signoff-server-time');
    await stamp.waitFor();
    return numAttr(stamp, 'data-server-time');
  }

  it('TPL-4 SLA-1 SLA-2 SLA-3 ESC-1 ESC-2 INBOX-1 APR-2 APR-4 TASK-3 CLOSE-2 CLOSE-4 REC-1: the legal desk signs late after an escalation; approval, closure rules and the record', async () => {
    const t0 = await suite.server.moveClock({ advanceMs: 0 });

    // One tap from the assault template on the scene officer's tablet.
    const a = await officer('demo015', TABLET);
    await a.page.getByTestId('new-group').click();
    await byTestId(a.page, 'template-option', { 'data-incident-type': 'assault' }).click();
    await a.page.getByTestId('one-tap-title').fill('网约车司机被扳手打伤 (fictional)');
    await a.page.getByTestId('one-tap-number').fill('J2030-0200');
    await a.page.getByTestId('one-tap-start').click();
    const meta = a.page.getByTestId('group-meta');
    await meta.waitFor();
    const groupId = (await meta.getAttribute('data-group-id'))!;
    for (const p of TEMPLATE_POSTS)
      await byTestId(a.page, 'invitation-row', { 'data-post-id': p, 'data-status': 'waiting' }).waitFor();
    const legalInvitation = (await byTestId(a.page, 'invitation-row', { 'data-post-id': LEGAL_POST }).getAttribute(
      'data-invitation-id',
    ))!;

    // Three minutes on, the management desk signs on time (10 minutes), stamped by the server.
    await suite.server.moveClock({ advanceMs: 3 * MIN });
    const b = await officer('demo005');
    expect(await signFromBoard(b, groupId, MGMT_POST, 'signed-on-time')).toBe(t0 + 3 * MIN);

    // The other support posts and the duty leader sign on time; the legal brigade desk does not.
    for (const [no, post] of [
      ['demo009', 'p-e-data'],
      ['demo010', 'p-e-cid'],
      ['demo013', 'p-e-traffic'],
    ] as const) {
      const o = await officer(no);
      expect(await signFromBoard(o, groupId, post, 'signed-on-time')).toBe(t0 + 3 * MIN);
      await leave(o);
    }
    const l = await officer('demo007');
    expect(await signFromBoard(l, groupId, LEADER_POST, 'signed-on-time')).toBe(t0 + 3 * MIN);
    // The leader watches the inbox (the group page would read its items at once).
    await l.page.getByTestId('nav-inbox').click();
    await l.page.getByTestId('inbox').waitFor();
    expect(await byTestId(l.page, 'inbox-item', { 'data-kind': 'escalation' }).count()).toBe(0);

    // ESC-1: past the legal desk's 30 minutes by the server's clock, the server records the overdue event ...
    const overdueAt = await suite.server.moveClock({ advanceMs: 28 * MIN });
    const event = byTestId(a.page, 'timeline-event', {
      'data-event-type': 'overdue',
      'data-invitation-id': legalInvitation,
    });
    await event.waitFor();
    expect(await numAttr(event.locator('time'), 'data-server-time')).toBe(overdueAt);
    expect(await event.textContent()).toContain('东城分局值班领导岗');
    expect(await byTestId(a.page, 'timeline-event').count()).toBe(1);

    // ... ESC-2, INBOX-1: and escalates it to the duty leader's inbox, unread.
    const escalation = byTestId(l.page, 'inbox-item', { 'data-kind': 'escalation', 'data-read': 'false' });
    await escalation.waitFor();
    expect(await escalation.textContent()).toContain('网约车司机被扳手打伤');
    await expect.poll(async () => Number(await l.page.getByTestId('unread-count').textContent())).toBeGreaterThan(0);
    await escalation.getByTestId('inbox-open').click();
    await byTestId(l.page, 'timeline-event', { 'data-invitation-id': legalInvitation }).waitFor();

    // SLA-2: the legal desk signs now, from its board where the invitation is overdue: judged late.
    const g = await officer('demo012');
    await g.page.getByTestId('nav-board').click();
    await byTestId(g.page, 'board-item', { 'data-post-id': LEGAL_POST, 'data-urgency': 'overdue' }).waitFor();
    expect(await signFromBoard(g, groupId, LEGAL_POST, 'signed-late')).toBe(overdueAt);
    await leave(g);
    await byTestId(a.page, 'invitation-row', { 'data-post-id': LEGAL_POST, 'data-status': 'signed-late' }).waitFor();

    // APR-2, APR-4: the scene officer requests a data-query authorisation; the duty leader approves, stamped.
    await a.page.getByTestId('approval-type').selectOption('data-query');
    await byTestId(a.page, 'approval-field', { 'data-field': 'subject' }).fill('嫌疑人 张某 (fictional)');
    await byTestId(a.page, 'approval-field', { 'data-field': 'scope' }).selectOption('identity');
    await byTestId(a.page, 'approval-field', { 'data-field': 'reason' }).fill('核实嫌疑人身份及前科');
    await a.page.getByTestId('approval-submit').click();
    await byTestId(a.page, 'approval-row', { 'data-status': 'pending' }).waitFor();
    const decidedAt = await suite.server.moveClock({ advanceMs: MIN });
    const apr = byTestId(l.page, 'approval-row', { 'data-status': 'pending' });
    await apr.getByTestId('approval-comment').fill('同意查询');
    await apr.getByTestId('approval-approve').click();
    const approved = byTestId(a.page, 'approval-row', { 'data-status': 'approved' });
    await approved.waitFor();
    expect(await numAttr(approved.getByTestId('approval-decision'), 'data-server-time')).toBe(decidedAt);
    expect(await approved.getByTestId('approval-decision').textContent()).toContain('郑演示07');
    await leave(l);

    // CLOSE-2: with a task open, closing is refused and the open task is named.
    await b.page.getByTestId('task-title').fill(TASK);
    await b.page.getByTestId('task-assignee').selectOption('post:p-e-data');
    await b.page.getByTestId('task-submit').click();
    const task = byTestId(b.page, 'task-row', { 'data-state': 'open' }).filter({ hasText: TASK });
    await task.waitFor();
    await b.page.getByTestId('close-summary').fill(SUMMARY);
    await b.page.getByTestId('close-submit').click();
    await expect.poll(() => b.page.getByTestId('close-error').textContent()).toContain(TASK);
    expect(await b.page.getByTestId('closure-record').count()).toBe(0);

    // TASK-3: waived with a reason, then the group closes, timely (CLOSE-4).
    await task.getByTestId('task-waive').click();
    await task.getByTestId('task-outcome-text').fill(WAIVE_REASON);
    await task.getByTestId('task-outcome-submit').click();
    await byTestId(b.page, 'task-row', { 'data-state': 'waived' }).filter({ hasText: WAIVE_REASON }).waitFor();
    await b.page.getByTestId('close-submit').click();
    const closure = byTestId(b.page, 'closure-record', { 'data-timely': 'true' });
    await closure.waitFor();
    expect(await numAttr(closure, 'data-server-time')).toBe(decidedAt);
    await a.page.getByTestId('group-closed').waitFor();

    // REC-1: the record shows the late verdict, the escalation, the approval, the waived task and the closure.
    await b.page.getByTestId('record-link').click();
    const rec = b.page.getByTestId('record-page');
    await rec.waitFor();
    await byTestId(rec, 'record-invitation', { 'data-post-id': LEGAL_POST, 'data-status': 'signed-late' }).waitFor();
    for (const p of TEMPLATE_POSTS.filter((x) => x !== LEGAL_POST))
      await byTestId(rec, 'record-invitation', { 'data-post-id': p, 'data-status': 'signed-on-time' }).waitFor();
    const events = await rec.getByTestId('record-events').textContent();
    expect(events).toContain('东城法制大队协同支撑岗');
    expect(events).toContain('东城分局值班领导岗');
    expect(await rec.getByTestId('record-approvals').textContent()).toContain('同意查询');
    expect(await rec.getByTestId('record-tasks').locator('li[data-state="waived"]').textContent()).toContain(
      WAIVE_REASON,
    );
    expect(await rec.getByTestId('record-closure').textContent()).toContain(SUMMARY);

    await leave(a);
    await leave(b);
  }, 90_000);
});
