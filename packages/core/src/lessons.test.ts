import { describe, expect, it } from 'vitest';
import { recordClosure, requestClose } from './closure.ts';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { readLessons, writeLesson } from './lessons.ts';
import { groupFactsOf, mayWriteLesson, mayWriteRecord } from './policy.ts';
import type { ActingPerson } from './policy.ts';
import { Root } from './schema.ts';
import { recordSeal, requestSeal } from './seal.ts';
import { MINUTE } from './sla.ts';

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};

function closedGroup() {
  const g = demoGroup();
  const req = requestClose(
    g.doc,
    { id: 'c1', summary: '已处置', by: actorOf(g.dir, 'demo005'), postId: 'p-e-mgmt', deviceTime: T0 },
    T0,
  );
  stampAll(g.doc, T0 + 30 * MINUTE);
  recordClosure(g.doc, req, T0 + 30 * MINUTE, SERVER);
  return g;
}

describe('review lessons', () => {
  it('REVIEW-3: lessons are written once the group is closed, stamped, and refused once it is sealed', () => {
    const open = demoGroup();
    const input = { id: 'l1', text: '首次响应及时', author: actorOf(open.dir, 'demo016'), deviceTime: T0 };
    expect(codeOf(() => writeLesson(open.doc, input))).toBe('not-closed');

    const { doc, dir } = closedGroup();
    expect(codeOf(() => writeLesson(doc, { ...input, text: '   ' }))).toBe('bad-lesson');
    writeLesson(doc, input);
    writeLesson(doc, { ...input, id: 'l2', text: '  技术支撑岗签收偏慢 ', author: actorOf(dir, 'demo005') });
    stampAll(doc, T0 + 2 * 60 * MINUTE);
    const lessons = readLessons(doc);
    expect(lessons.map((l) => [l.record.author.personId, l.record.text, l.serverTime])).toEqual([
      ['demo016', '首次响应及时', T0 + 120 * MINUTE],
      ['demo005', '技术支撑岗签收偏慢', T0 + 120 * MINUTE],
    ]);

    const seal = requestSeal(doc, { id: 's1', by: actorOf(dir, 'demo005'), postId: 'p-e-mgmt', deviceTime: T0 });
    recordSeal(doc, seal, T0 + 3 * 60 * MINUTE, SERVER);
    expect(codeOf(() => writeLesson(doc, { ...input, id: 'l3' }))).toBe('sealed');
  });

  it('POL-18: the initiator, the management desk on duty and leaders of the group write lessons; others do not', () => {
    const { doc, dir } = closedGroup();
    const g = groupFactsOf(doc);
    const subject = (personId: string): ActingPerson => {
      const p = dir.person(personId)!;
      return { personId, unitId: p.unitId, roles: p.roles };
    };
    expect(mayWriteLesson(dir, subject('demo016'), g, true).ok).toBe(true); // initiator
    expect(mayWriteLesson(dir, subject('demo005'), g, true).ok).toBe(true); // management desk on duty
    expect(mayWriteLesson(dir, subject('demo007'), g, true).ok).toBe(true); // leader of the sub-bureau
    expect(mayWriteLesson(dir, subject('demo010'), g, true)).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(mayWriteLesson(dir, subject('demo016'), g, false)).toMatchObject({ ok: false, code: 'not-closed' });

    // POL-2: the record rule of the lessons root asks the same, and the author must be the writer.
    const lesson = { id: 'l9', text: '复盘', author: actorOf(dir, 'demo016'), deviceTime: T0 };
    const ctx = (p: string) => ({ dir, subject: subject(p), group: g, doc, starting: false });
    expect(mayWriteRecord(ctx('demo016'), Root.lessons, 'l9', lesson).ok).toBe(true);
    expect(
      mayWriteRecord(ctx('demo010'), Root.lessons, 'l9', { ...lesson, author: actorOf(dir, 'demo010') }),
    ).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(mayWriteRecord(ctx('demo005'), Root.lessons, 'l9', lesson)).toMatchObject({
      ok: false,
      code: 'impersonation',
    });
    expect(mayWriteRecord(ctx('demo016'), Root.lessons, 'l9', { ...lesson, text: 'x'.repeat(4001) }).ok).toBe(false);
    expect(mayWriteRecord(ctx('demo016'), Root.lessons, 'l9', lesson)).toEqual({ ok: true });
  });
});
