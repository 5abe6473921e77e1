import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canClose, closureDeadline, judgeCloseRequests, mayClose, recordClosure, requestClose } from './closure.ts';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { groupRecord } from './groupRecord.ts';
import { isClosed } from './records.ts';
import { MINUTE } from './sla.ts';
import { addTask, waiveTask } from './tasks.ts';
import { addFinding } from './timeline.ts';

const HOUR = 60 * MINUTE;

describe('closure', () => {
  it('CLOSE-1: the initiator or a person on duty at an invited management post may close; others may not', () => {
    const { doc, dir } = demoGroup();
    expect(mayClose(doc, dir, 'demo016', null)).toBe(true);
    expect(mayClose(doc, dir, 'demo005', 'p-e-mgmt')).toBe(true);
    expect(mayClose(doc, dir, 'demo006', 'p-e-mgmt')).toBe(false); // off duty
    expect(mayClose(doc, dir, 'demo010', 'p-e-cid')).toBe(false); // support post
  });

  it('CLOSE-2: closing is refused while a task is open, and allowed once it is waived with a reason', () => {
    const { doc, dir } = demoGroup();
    const by = actorOf(dir, 'demo005');
    addTask(doc, {
      id: 't1',
      title: '走访',
      assignee: { kind: 'post', id: 'p-e-cid', name: 'n' },
      author: by,
      deviceTime: T0,
    });
    expect(canClose(doc, T0)).toEqual({ ok: false, refusal: { code: 'open-tasks', taskIds: ['t1'] } });
    expect(() =>
      requestClose(doc, { id: 'c1', summary: '已破案', by, postId: 'p-e-mgmt', deviceTime: T0 }, T0),
    ).toThrow(/open-tasks/);
    waiveTask(doc, { id: 'w1', taskId: 't1', text: '已无必要', by, deviceTime: T0 });
    expect(canClose(doc, T0)).toEqual({ ok: true });
  });

  it('CLOSE-3/CLOSE-4: the relay closes on the first acceptable request; timely within 24 h of the server time of the group', () => {
    const { doc, dir } = demoGroup();
    expect(closureDeadline(doc)).toBe(T0 + 24 * HOUR);
    requestClose(doc, { id: 'c0', summary: 'x', by: actorOf(dir, 'demo010'), postId: 'p-e-cid', deviceTime: T0 }, T0);
    requestClose(
      doc,
      { id: 'c1', summary: '嫌疑人已抓获', by: actorOf(dir, 'demo005'), postId: 'p-e-mgmt', deviceTime: T0 + 1 },
      T0,
    );
    stampAll(doc, T0 + 49 * MINUTE);
    const verdicts = judgeCloseRequests(doc, dir, T0 + 49 * MINUTE);
    expect(verdicts.map((v) => [v.request.id, v.ok])).toEqual([
      ['c0', false],
      ['c1', true],
    ]);
    const closure = recordClosure(doc, verdicts[1]!.request.record, T0 + 49 * MINUTE, SERVER);
    expect(closure).toMatchObject({ timely: true, deadline: T0 + 24 * HOUR, summary: '嫌疑人已抓获' });
    expect(recordClosure(doc, verdicts[1]!.request.record, T0 + 50 * MINUTE, SERVER)).toBeNull();
    expect(judgeCloseRequests(doc, dir, T0 + 50 * MINUTE)).toEqual([]);
  });

  it('CLOSE-4: a closure after the deadline is not timely', () => {
    const { doc, dir } = demoGroup();
    const req = requestClose(doc, { id: 'c1', summary: 'done', by: actorOf(dir, 'demo016'), deviceTime: T0 }, T0);
    expect(recordClosure(doc, req, T0 + 24 * HOUR + 1, SERVER)?.timely).toBe(false);
  });

  it('CLOSE-5/LATE-1: a closed group refuses commands; offline work arriving later is kept and marked after closure', () => {
    const { doc, dir } = demoGroup();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(doc));
    // The scene officer's tablet is offline and keeps working.
    addFinding(offline, {
      id: 'f-late',
      text: '补充：现场遗留手套一只',
      author: actorOf(dir, 'demo016'),
      deviceTime: T0 + 40 * MINUTE,
    });
    addFinding(doc, { id: 'f-1', text: '嫌疑人已抓获', author: actorOf(dir, 'demo005'), deviceTime: T0 + 45 * MINUTE });
    stampAll(doc, T0 + 45 * MINUTE);
    const req = requestClose(
      doc,
      { id: 'c1', summary: '办结', by: actorOf(dir, 'demo005'), postId: 'p-e-mgmt', deviceTime: T0 },
      T0,
    );
    stampAll(doc, T0 + 49 * MINUTE);
    recordClosure(doc, req, T0 + 49 * MINUTE, SERVER);
    expect(isClosed(doc)).toBe(true);
    expect(() =>
      addFinding(doc, { id: 'f-2', text: 'x', author: actorOf(dir, 'demo005'), deviceTime: T0 + 50 * MINUTE }),
    ).toThrow(/closed/);
    // The tablet comes back: its finding reaches the relay after the closure and is stamped then.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(offline));
    stampAll(doc, T0 + 60 * MINUTE);
    const record = groupRecord(doc, T0 + 61 * MINUTE)!;
    expect(record.timeline.map((e) => [e.id, e.afterClosure])).toEqual([
      ['f-1', false],
      ['f-late', true],
    ]);
    expect(record.counts.receivedAfterClosure).toBe(1);
    expect(record.readOnly).toBe(true);
  });
});
