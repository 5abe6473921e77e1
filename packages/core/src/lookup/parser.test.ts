import { describe, expect, it } from 'vitest';
import { parseQuestion } from './parser.ts';

const last = { key: 'P0000001', name: '张三' };

describe('look-up questions', () => {
  it('ASSIST-1: the issue examples, zh and en', () => {
    expect(parseQuestion('查身份证 99010119850101234X')).toEqual({
      kind: 'query',
      query: { intent: 'person', subject: { kind: 'id', value: '99010119850101234X' } },
    });
    expect(parseQuestion('苏A·12345 车主')).toMatchObject({
      query: { intent: 'vehicle', subject: { value: '苏A12345' } },
    });
    expect(parseQuestion('who owns plate 苏A12345')).toMatchObject({ query: { intent: 'vehicle' } });
    expect(parseQuestion('13800000000 机主是谁')).toMatchObject({ query: { intent: 'phoneOwner' } });
    expect(parseQuestion('张三 1985 年生 前科')).toMatchObject({
      query: { intent: 'priorCases', subject: { kind: 'name', value: '张三', birthYear: 1985 } },
    });
  });

  it('ASSIST-3: a follow-up is about the last person found; with nobody found yet it asks who', () => {
    expect(parseQuestion('他最近的住宿记录', { lastPerson: last })).toEqual({
      kind: 'query',
      query: { intent: 'lodging', subject: { kind: 'person', value: last.key, name: last.name }, followUp: true },
    });
    expect(parseQuestion('他最近的住宿记录')).toEqual({ kind: 'clarify', reason: 'need-subject', choices: [] });
    // A question with its own subject is about that subject, not the last person.
    expect(parseQuestion('李四的住宿记录', { lastPerson: last })).toMatchObject({
      query: { subject: { kind: 'name', value: '李四' } },
    });
  });

  it('ASSIST-2: ambiguity gives choices, each a complete query, never a guess', () => {
    const r = parseQuestion('他的记录', { lastPerson: last });
    expect(r.kind).toBe('clarify');
    if (r.kind !== 'clarify') return;
    expect(r.choices.map((c) => c.intent)).toEqual(['priorCases', 'lodging', 'rideHailing', 'calls110']);
    expect(r.choices.every((c) => c.subject.kind === 'person')).toBe(true);
    const two = parseQuestion('张三和李四的前科');
    expect(two).toMatchObject({ kind: 'clarify', reason: 'which-subject' });
    expect(parseQuestion('建设路12号')).toMatchObject({ kind: 'clarify', reason: 'which-intent' });
  });

  it('ASSIST-2: an ID with a wrong check digit is refused with the reason, not looked up', () => {
    expect(parseQuestion('查身份证 990101198501012341')).toEqual({
      kind: 'invalid',
      reason: 'bad-id-check',
      value: '990101198501012341',
    });
  });

  it('ASSIST-1: cameras near the group when no place is named; at an address when one is', () => {
    expect(parseQuestion('附近的摄像头')).toMatchObject({ query: { intent: 'cameras', subject: { kind: 'here' } } });
    expect(parseQuestion('建设路12号附近的监控')).toMatchObject({
      query: { intent: 'cameras', subject: { kind: 'address', value: '建设路12号' } },
    });
  });

  it('ASSIST-12: a place look-up may name a road alone or a crossing; it is then not about the incident address', () => {
    const place = (q: string) => (parseQuestion(q) as { query?: { subject: unknown } }).query?.subject;
    expect(place('东湖路附近的摄像头')).toEqual({ kind: 'address', value: '东湖路' });
    expect(place('滨江大道和东湖路口的监控')).toEqual({ kind: 'address', value: '滨江大道和东湖路口' });
    expect(place('cameras near Donghu Road')).toEqual({ kind: 'address', value: 'Donghu Road' });
    expect(place('cameras on Binjiang Avenue 66')).toEqual({ kind: 'address', value: 'Binjiang Avenue 66' });
    expect(place('东湖路附近的110警情')).toEqual({ kind: 'address', value: '东湖路' });
    // Without a place word, 110 calls of a name are the person's.
    expect(place('王小路的110记录')).toEqual({ kind: 'name', value: '王小路' });
    expect(place('附近的监控')).toEqual({ kind: 'here' });
  });
});
