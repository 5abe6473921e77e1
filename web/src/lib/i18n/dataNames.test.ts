import { describe, expect, it } from 'vitest';
import type { GroupTemplate, InboxItem, Post, Unit } from '@muster/core';
import { incidentTypeLabel, inboxItemText } from './dataNames.ts';

const post = { id: 'p-1', unitId: 'u-1', name: '东城分局协同管理岗', nameEn: 'Dongcheng management desk' } as Post;
const dir = {
  post: (id: string): Post | null => (id === post.id ? post : null),
  unit: (): Unit | null => null,
};
const item = (over: Partial<InboxItem>): InboxItem => ({
  id: 'x',
  kind: 'invitation',
  groupId: 'g',
  groupTitle: '演示',
  refId: 'r',
  text: post.name,
  at: 1,
  postId: post.id,
  ...over,
});

describe('I18N-2: data names in the language shown', () => {
  it("an invitation's post reads in English from the directory, and stays Chinese in zh-CN", () => {
    expect(inboxItemText(item({}), dir, 'en')).toBe('Dongcheng management desk');
    expect(inboxItemText(item({}), dir, 'zh-CN')).toBe('东城分局协同管理岗');
    expect(inboxItemText(item({ kind: 'escalation' }), dir, 'en')).toBe('Dongcheng management desk');
  });

  it('what an officer wrote, and posts the directory does not know, stay as written', () => {
    expect(inboxItemText(item({ kind: 'clue', text: '嫌疑人向东逃离' }), dir, 'en')).toBe('嫌疑人向东逃离');
    expect(inboxItemText(item({ postId: 'p-unknown' }), dir, 'en')).toBe('东城分局协同管理岗');
  });

  it("an incident type reads as its template's name in the language shown", () => {
    const templates = [
      { id: 't', incidentType: 'theft', name: '盗窃/抢劫', nameEn: 'Theft / robbery' } as GroupTemplate,
    ];
    expect(incidentTypeLabel('盗窃/抢劫', templates, 'en')).toBe('Theft / robbery');
    expect(incidentTypeLabel('theft', templates, 'zh-CN')).toBe('盗窃/抢劫');
    expect(incidentTypeLabel('纵火', templates, 'en')).toBe('纵火');
  });
});
