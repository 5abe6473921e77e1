import { describe, expect, it } from 'vitest';
import { acceptModelQuery } from './modelReading.ts';

describe("a model's reading of a question", () => {
  it('ASSIST-13: a known intent about a subject the question names is taken', () => {
    expect(
      acceptModelQuery('打听一下严立诚', { intent: 'person', subject: { kind: 'name', value: '严立诚' } }),
    ).toEqual({
      intent: 'person',
      subject: { kind: 'name', value: '严立诚' },
    });
    expect(
      acceptModelQuery('tell me about yan licheng', {
        intent: 'priorCases',
        subject: { kind: 'name', value: 'Yan Licheng' },
      }),
    ).toEqual({ intent: 'priorCases', subject: { kind: 'name', value: 'Yan Licheng' } });
    expect(
      acceptModelQuery('那辆 苏K·D20260 是谁的', {
        intent: 'vehicle',
        subject: { kind: 'plate', value: '苏K D20260' },
      }),
    ).toEqual({ intent: 'vehicle', subject: { kind: 'plate', value: '苏KD20260' } });
    expect(acceptModelQuery('这附近都有啥摄像', { intent: 'cameras', subject: { kind: 'here' } })).toEqual({
      intent: 'cameras',
      subject: { kind: 'here' },
    });
  });

  it('ASSIST-13: made-up subjects, unknown intents, person keys and bad ID numbers are dropped', () => {
    const q = '打听一下严立诚';
    expect(acceptModelQuery(q, { intent: 'person', subject: { kind: 'name', value: '鲁振飞' } })).toBeNull();
    expect(acceptModelQuery(q, { intent: 'horoscope', subject: { kind: 'name', value: '严立诚' } })).toBeNull();
    expect(
      acceptModelQuery(q, { intent: 'person', subject: { kind: 'person', value: 'P9000001', name: '严立诚' } }),
    ).toBeNull();
    expect(acceptModelQuery(q, { intent: 'person', subject: { kind: 'here' } })).toBeNull();
    expect(
      acceptModelQuery('查 990101198501012341', {
        intent: 'person',
        subject: { kind: 'id', value: '990101198501012341' },
      }),
    ).toBeNull();
    expect(acceptModelQuery(q, 'person')).toBeNull();
    expect(acceptModelQuery(q, null)).toBeNull();
  });
});
