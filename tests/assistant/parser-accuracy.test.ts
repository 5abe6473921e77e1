import { describe, expect, it } from 'vitest';
import { parseQuestion } from '@muster/core';
import { loadLabelled, score } from './lookupLabels.ts';

describe('the look-up parser on the labelled questions', () => {
  const items = loadLabelled();

  it('ASSIST-1: the labelled set holds at least 200 questions in Chinese and in English', () => {
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(items.filter((i) => /[\u4e00-\u9fa5]/.test(i.q) && !/[a-z]{3}/i.test(i.q)).length).toBeGreaterThan(60);
    expect(
      items.filter(
        (i) =>
          !/[\u4e00-\u9fa5]/.test(i.q.replace(/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]/g, '')),
      ).length,
    ).toBeGreaterThan(60);
  });

  it('ASSIST-1/ASSIST-2/ASSIST-3: at least 95% are read exactly as labelled (intent, subject, clarification)', () => {
    const r = score(items, parseQuestion);
    const report = r.wrong.map(
      (w) => `${w.q}\n  expected ${JSON.stringify(w.expect)}\n  got      ${JSON.stringify(w.got)}`,
    );
    expect(r.accuracy, report.join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});
