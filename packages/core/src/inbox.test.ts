import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actorOf, demoGroup, SERVER, stampAll, T0 } from './demoFixture.ts';
import { overdueToEscalate, recordEscalations } from './escalation.ts';
import { DEFAULT_APPROVAL_TYPES, requestApproval } from './approvals.ts';
import { addInboxItems, inboxDeliveries, inboxItems, markRead, unreadCount } from './inbox.ts';
import { giveInstruction } from './instructions.ts';
import { pushClue } from './clues.ts';
import { MINUTE } from './sla.ts';

describe('inbox', () => {
  it('INBOX-3: a group owes items to the persons on duty at invited posts, clue recipients, addressees and leaders', () => {
    const { doc: pending, dir } = demoGroup('tpl-theft', false);
    expect(inboxDeliveries(pending, dir)).toEqual([]); // nothing before the relay registers it
    const { doc } = demoGroup();
    pushClue(doc, {
      id: 'c1',
      text: '嫌疑人向东逃离',
      targetUnitIds: ['ks-e1'],
      author: actorOf(dir, 'demo005'),
      deviceTime: T0,
    });
    giveInstruction(doc, {
      id: 'i1',
      text: '全力追查',
      to: [{ kind: 'person', id: 'demo016', name: 'n' }],
      author: actorOf(dir, 'demo007'),
      deviceTime: T0,
    });
    requestApproval(doc, {
      id: 'a1',
      type: DEFAULT_APPROVAL_TYPES[0]!,
      values: { location: 'x', from: '2026-01-01', to: '2026-01-01', reason: 'y' },
      author: actorOf(dir, 'demo005'),
      deviceTime: T0,
    });
    stampAll(doc, T0 + MINUTE);
    recordEscalations(doc, overdueToEscalate(doc, dir, T0 + 11 * MINUTE), T0 + 11 * MINUTE, SERVER);
    const got = inboxDeliveries(doc, dir).map((d) => `${d.personId}:${d.item.kind}:${d.item.refId}`);
    expect(got.sort()).toEqual(
      [
        'demo005:invitation:inv-0',
        'demo007:invitation:inv-1',
        'demo010:invitation:inv-2',
        'demo011:invitation:inv-3',
        'demo037:clue:c1',
        'demo038:clue:c1',
        'demo016:instruction:i1',
        'demo007:approval:a1',
        'demo007:escalation:inv-0',
      ].sort(),
    );
  });

  it('INBOX-1/INBOX-2: items are delivered once; read markers from the device lower the unread count', () => {
    const { doc, dir } = demoGroup();
    const inbox = new Y.Doc();
    const mine = inboxDeliveries(doc, dir)
      .filter((d) => d.personId === 'demo005')
      .map((d) => d.item);
    expect(addInboxItems(inbox, mine, SERVER)).toHaveLength(1);
    expect(addInboxItems(inbox, mine, SERVER)).toEqual([]);
    expect(unreadCount(inbox)).toBe(1);
    const [first] = inboxItems(inbox);
    expect(first?.item).toMatchObject({ kind: 'invitation', groupId: 'g-demo-1', at: T0, postId: 'p-e-mgmt' });
    markRead(inbox, [first!.item.id], T0 + 5);
    expect(unreadCount(inbox)).toBe(0);
    expect(inboxItems(inbox)[0]?.read).toBe(true);
  });
});
