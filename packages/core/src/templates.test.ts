import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { demoDirectory, demoTemplates, initiator, T0 } from './demoFixture.ts';
import { readMeta } from './group.ts';
import { invitationViews } from './invitations.ts';
import { startGroupFromTemplate } from './oneTap.ts';
import { expandTemplate, parseTemplates } from './templates.ts';
import type { GroupTemplate } from './templates.ts';

const dir = demoDirectory();
const theft = () => demoTemplates().find((t) => t.id === 'tpl-theft')!;

describe('templates', () => {
  it('TPL-2: posts are found relative to the initiator unit, with SLA-1 default deadlines', () => {
    const e = expandTemplate(theft(), dir, 'ks-w1');
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(e.expansion.posts.map((p) => [p.post.id, p.deadlineMinutes])).toEqual([
      ['p-w-mgmt', 10],
      ['p-w-leader', 30],
      ['p-w-cid', 30],
      ['p-w-patrol', 30],
    ]);
    expect(e.expansion.closureDeadlineMinutes).toBe(24 * 60);
  });

  it('TPL-2: fixed post and unit entries, per-entry deadlines and the closure deadline come from the data', () => {
    const t = demoTemplates().find((x) => x.id === 'tpl-fraud')!;
    const e = expandTemplate(t, dir, 'st-e2');
    if (!e.ok) throw new Error('expected ok');
    expect(e.expansion.posts.find((p) => p.post.id === 'p-dept-antifraud')?.deadlineMinutes).toBe(20);
    expect(e.expansion.posts.find((p) => p.post.id === 'p-e-data')?.post.unitName).toBe('东城分局');
    const missing = demoTemplates().find((x) => x.id === 'tpl-missing')!;
    const m = expandTemplate(missing, dir, 'st-e2');
    expect(m.ok && m.expansion.closureDeadlineMinutes).toBe(720);
  });

  it('TPL-2: a template naming a post or unit that does not exist is an error naming it', () => {
    const t: GroupTemplate = {
      ...theft(),
      posts: [
        { postId: 'p-ghost' },
        { unitId: 'dept-ghost', postKind: 'support' },
        { relative: 'sub-bureau', unitKind: 'brigade', unitName: '水警大队', postKind: 'support' },
        { relative: 'sub-bureau', postKind: 'support', capability: 'time-travel' },
      ],
    };
    const e = expandTemplate(t, dir, 'st-e1');
    expect(e.ok).toBe(false);
    if (e.ok) return;
    expect(e.errors.map((x) => x.entry)).toEqual([0, 1, 2, 3]);
    expect(e.errors[0]?.message).toContain('p-ghost');
    expect(e.errors[1]?.message).toContain('dept-ghost');
    expect(e.errors[2]?.message).toContain('水警大队');
    expect(e.errors[3]?.message).toContain('time-travel');
    // An outside unit has no sub-bureau: relative entries fail clearly.
    const out = expandTemplate(theft(), dir, 'out-airport');
    expect(out.ok ? '' : out.errors[0]?.message).toContain('has no sub-bureau');
  });

  it('TPL-3: parseTemplates validates the data, all or nothing', () => {
    const r = parseTemplates({
      templates: [
        { ...theft() },
        { id: 'bad one', incidentType: 'x', name: '', nameEn: 'X', kind: 'party', posts: [{ relative: 'moon' }] },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.templateId, e.entry])).toEqual([
      ['bad one', -1],
      ['bad one', -1],
      ['bad one', -1],
      ['bad one', 0],
    ]);
    expect(parseTemplates('nope').ok).toBe(false);
  });

  it('TPL-4: one tap writes the group and every invitation in one transaction, offline', () => {
    const e = expandTemplate(theft(), dir, 'st-e1');
    if (!e.ok) throw new Error('expected ok');
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    startGroupFromTemplate(doc, {
      group: { id: 'g-1', kind: 'incident', title: '手机被抢', unitId: 'st-e1', initiator, deviceTime: T0 },
      expansion: e.expansion,
      invitationIds: ['i1', 'i2', 'i3', 'i4'],
    });
    expect(transactions).toBe(1);
    expect(readMeta(doc)).toMatchObject({ templateId: 'tpl-theft' });
    // POL-15: the records carry no deadlines; the server's policy sets them.
    expect(readMeta(doc)).not.toHaveProperty('closureDeadlineMinutes');
    expect(JSON.stringify(doc.getMap('invitations').toJSON())).not.toContain('deadlineMinutes');
    expect(invitationViews(doc, T0).map((v) => v.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('TPL-4: bad input writes nothing', () => {
    const e = expandTemplate(theft(), dir, 'st-e1');
    if (!e.ok) throw new Error('expected ok');
    const doc = new Y.Doc();
    const group = { id: 'g-1', kind: 'incident' as const, title: 'x', unitId: 'st-e1', initiator, deviceTime: T0 };
    expect(() => startGroupFromTemplate(doc, { group, expansion: e.expansion, invitationIds: ['i1'] })).toThrow();
    expect(() =>
      startGroupFromTemplate(doc, { group, expansion: e.expansion, invitationIds: ['i1', 'i1', 'i2', 'i3'] }),
    ).toThrow();
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
  });
});
