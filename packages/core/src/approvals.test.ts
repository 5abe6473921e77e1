import { describe, expect, it } from 'vitest';
import {
  ApprovalFieldsError,
  DEFAULT_APPROVAL_TYPES,
  approvalViews,
  judgeDecisionRequests,
  parseApprovalTypes,
  recordDecisions,
  requestApproval,
  requestDecision,
  validateApprovalFields,
} from './approvals.ts';
import approvalTypesText from '../demo/approval-types.json?raw';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { supervise } from './instructions.ts';

const cctv = DEFAULT_APPROVAL_TYPES.find((t) => t.id === 'cctv-retrieval')!;
const dataQuery = DEFAULT_APPROVAL_TYPES.find((t) => t.id === 'data-query')!;
const values = { location: '东湖路 (fictional)', from: '2026-01-01', to: '2026-01-02', reason: '抢夺案' };

describe('approvals', () => {
  it('APR-1: the four approval types of the report are data with typed fields', () => {
    expect(DEFAULT_APPROVAL_TYPES.map((t) => t.id)).toEqual([
      'cctv-retrieval',
      'data-query',
      'cross-district',
      'fast-track-service',
    ]);
    expect(validateApprovalFields(cctv, values)).toEqual({ ok: true, values });
    const bad = validateApprovalFields(dataQuery, { subject: '', scope: 'everything', extra: 1 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['extra', 'subject', 'scope', 'reason']);
    const cross = DEFAULT_APPROVAL_TYPES.find((t) => t.id === 'cross-district')!;
    expect(validateApprovalFields(cross, { district: '西城', officers: '4', reason: 'x' })).toEqual({
      ok: true,
      values: { district: '西城', officers: 4, reason: 'x' },
    });
    expect(validateApprovalFields(cctv, { ...values, from: 'yesterday' }).ok).toBe(false);
  });

  it('APR-1: a request with bad fields is refused with each field named', () => {
    const { doc, dir } = demoGroup();
    try {
      requestApproval(doc, {
        id: 'a1',
        type: cctv,
        values: { location: 'x' },
        author: actorOf(dir, 'demo005'),
        deviceTime: T0,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApprovalFieldsError);
      expect((e as ApprovalFieldsError).errors.map((x) => x.field)).toEqual(['from', 'to', 'reason']);
    }
  });

  it('APR-2/APR-3/APR-4: a leader on duty decides; the relay writes the decision with its time, once', () => {
    const { doc, dir } = demoGroup();
    requestApproval(doc, { id: 'a1', type: cctv, values, author: actorOf(dir, 'demo005'), deviceTime: T0 });
    expect(() =>
      requestDecision(doc, {
        id: 'r0',
        approvalId: 'a1',
        decision: 'reject',
        comment: ' ',
        by: actorOf(dir, 'demo007'),
        postId: 'p-e-leader',
        deviceTime: T0,
      }),
    ).toThrow(/comment/);
    // A desk officer pretending to be a leader, then the real duty leader (invited to the group).
    requestDecision(doc, {
      id: 'r1',
      approvalId: 'a1',
      decision: 'approve',
      comment: '',
      by: actorOf(dir, 'demo005'),
      postId: 'p-e-leader',
      deviceTime: T0 + 1,
    });
    requestDecision(doc, {
      id: 'r2',
      approvalId: 'a1',
      decision: 'approve',
      comment: '同意',
      by: actorOf(dir, 'demo007'),
      postId: 'p-e-leader',
      deviceTime: T0 + 2,
    });
    stampAll(doc, T0 + 5);
    expect(approvalViews(doc)[0]?.status).toBe('pending');
    const verdicts = judgeDecisionRequests(doc, dir);
    expect(verdicts.map((v) => [v.request.id, v.ok ? 'ok' : v.code])).toEqual([
      ['r1', 'not-a-leader'],
      ['r2', 'ok'],
    ]);
    expect(recordDecisions(doc, verdicts, T0 + 6, SERVER)).toHaveLength(1);
    expect(recordDecisions(doc, verdicts, T0 + 7, SERVER)).toEqual([]);
    const v = approvalViews(doc)[0]!;
    expect([v.status, v.decision?.at, v.decision?.by.personId, v.decision?.comment]).toEqual([
      'approved',
      T0 + 6,
      'demo007',
      '同意',
    ]);
    expect(judgeDecisionRequests(doc, dir)).toEqual([]);
    expect(() =>
      requestDecision(doc, {
        id: 'r3',
        approvalId: 'a1',
        decision: 'reject',
        comment: 'no',
        by: actorOf(dir, 'demo007'),
        postId: 'p-e-leader',
        deviceTime: T0,
      }),
    ).toThrow(/decided/);
  });

  it('APR-3: a supervising leader of another sub-bureau may decide; an off-duty holder may not', () => {
    const { doc, dir } = demoGroup();
    requestApproval(doc, { id: 'a1', type: cctv, values, author: actorOf(dir, 'demo005'), deviceTime: T0 });
    requestDecision(doc, {
      id: 'r1',
      approvalId: 'a1',
      decision: 'reject',
      comment: '证据不足',
      by: actorOf(dir, 'demo024'),
      postId: 'p-w-chief',
      deviceTime: T0,
    });
    expect(judgeDecisionRequests(doc, dir)[0]?.ok).toBe(false);
    supervise(doc, { id: 'sv', postId: 'p-w-chief', by: actorOf(dir, 'demo024'), deviceTime: T0 });
    const verdicts = judgeDecisionRequests(doc, dir);
    expect(verdicts[0]?.ok).toBe(true);
    recordDecisions(doc, verdicts, T0 + 1, SERVER);
    expect(approvalViews(doc)[0]?.status).toBe('rejected');
  });
});

describe('approval types as data (APR-1)', () => {
  it('the demo file parses and holds the default types', () => {
    const parsed = parseApprovalTypes(JSON.parse(approvalTypesText));
    expect(parsed).toEqual({ ok: true, types: DEFAULT_APPROVAL_TYPES });
  });

  it('an array of types parses too', () => {
    const parsed = parseApprovalTypes([DEFAULT_APPROVAL_TYPES[0]]);
    expect(parsed.ok && parsed.types.map((t) => t.id)).toEqual(['cctv-retrieval']);
  });

  it('a bad definition is refused, each error naming the type and the field', () => {
    const parsed = parseApprovalTypes({
      types: [
        DEFAULT_APPROVAL_TYPES[0],
        {
          id: 'broken',
          name: '坏',
          nameEn: '',
          fields: [
            { name: 'a', label: 'A', labelEn: 'A', type: 'colour', required: true },
            { name: 'b', label: 'B', labelEn: 'B', type: 'select', required: false },
            { name: 'a', label: 'A2', labelEn: 'A2', type: 'text', required: 'yes' },
          ],
        },
        { id: 'cctv-retrieval', name: 'x', nameEn: 'x', fields: [] },
        'nope',
      ],
    });
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors.map((e) => `${e.index} ${e.typeId} ${e.field}`);
    expect(errors).toEqual([
      '1 broken nameEn',
      '1 broken fields[0].type',
      '1 broken fields[1].options',
      '1 broken fields[2].name',
      '1 broken fields[2].required',
      '2 cctv-retrieval id',
      '2 cctv-retrieval fields',
      '3 #3 ',
    ]);
    expect(parseApprovalTypes({ nothing: true })).toEqual({
      ok: false,
      errors: [{ index: -1, typeId: '', field: 'types', message: 'expected an array of types' }],
    });
  });
});
