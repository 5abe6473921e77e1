import { describe, expect, it } from 'vitest';
import { actorOf, demoGroup, T0 } from './demoFixture.ts';
import { MINUTE } from './sla.ts';
import { addTask, completeTask, taskViews, waiveTask } from './tasks.ts';

describe('tasks', () => {
  it('TASK-1/TASK-4: a task assigned to a post is open, and flagged overdue after its due time', () => {
    const { doc, dir } = demoGroup();
    const by = actorOf(dir, 'demo005');
    addTask(doc, {
      id: 't1',
      title: '调取商铺监控',
      assignee: { kind: 'post', id: 'p-e-cid', name: '刑警大队' },
      due: T0 + 60 * MINUTE,
      author: by,
      deviceTime: T0,
    });
    expect(taskViews(doc, T0 + 60 * MINUTE).map((t) => [t.state, t.overdue])).toEqual([['open', false]]);
    expect(taskViews(doc, T0 + 60 * MINUTE + 1).map((t) => [t.state, t.overdue])).toEqual([['open', true]]);
  });

  it('TASK-2: done with a note; the first outcome counts; a late outcome is flagged', () => {
    const { doc, dir } = demoGroup();
    const by = actorOf(dir, 'demo010');
    addTask(doc, {
      id: 't1',
      title: 'x',
      assignee: { kind: 'person', id: 'demo010', name: 'n' },
      due: T0 + 5,
      author: by,
      deviceTime: T0,
    });
    completeTask(doc, { id: 'd1', taskId: 't1', text: '已调取', by, deviceTime: T0 + 10 });
    waiveTask(doc, { id: 'w1', taskId: 't1', text: 'later reason', by, deviceTime: T0 + 20 });
    const [v] = taskViews(doc, T0 + 100);
    expect([v?.state, v?.outcome?.record.text, v?.overdue, v?.closedLate]).toEqual(['done', '已调取', false, true]);
  });

  it('TASK-3: a task is waived only with a reason', () => {
    const { doc, dir } = demoGroup();
    const by = actorOf(dir, 'demo005');
    addTask(doc, {
      id: 't1',
      title: 'x',
      assignee: { kind: 'post', id: 'p-e-cid', name: 'n' },
      author: by,
      deviceTime: T0,
    });
    expect(() => waiveTask(doc, { id: 'w1', taskId: 't1', text: '  ', by, deviceTime: T0 })).toThrow(/reason/);
    expect(() => completeTask(doc, { id: 'd1', taskId: 'nope', text: '', by, deviceTime: T0 })).toThrow(/no such task/);
    waiveTask(doc, { id: 'w1', taskId: 't1', text: '嫌疑人已到案，无需再查', by, deviceTime: T0 });
    expect(taskViews(doc, T0).map((t) => t.state)).toEqual(['waived']);
  });
});
