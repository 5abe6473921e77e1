import { describe, expect, it } from 'vitest';
import type { GroupTemplate, InboxItem, Post, Unit } from '@muster/core';
import { incidentTypeLabel, inboxItemText, postLabel, unitAndPost } from './dataNames.ts';

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

describe('UX-15: a post named with its unit once', () => {
  const units: Record<string, Unit> = {
    'sb-e': { id: 'sb-e', name: '东城分局', nameEn: 'Dongcheng Sub-bureau', parentId: null, kind: 'sub-bureau' },
    'br-e-cid': {
      id: 'br-e-cid',
      name: '刑警大队',
      nameEn: 'Dongcheng Criminal Investigation Brigade',
      parentId: 'sb-e',
      kind: 'brigade',
    },
  };
  const posts: Record<string, Post> = {
    'p-e-mgmt': {
      id: 'p-e-mgmt',
      unitId: 'sb-e',
      name: '东城分局协同管理岗',
      nameEn: 'Dongcheng collaboration management',
      kind: 'management',
      capabilities: [],
    },
    'p-e-cid': {
      id: 'p-e-cid',
      unitId: 'br-e-cid',
      name: '东城刑警大队协同支撑岗',
      nameEn: 'Dongcheng Criminal Investigation Brigade support',
      kind: 'support',
      capabilities: [],
    },
  };
  const d = { post: (id: string) => posts[id] ?? null, unit: (id: string) => units[id] ?? null };
  const ref = (id: string, name: string, unitId: string, unitName: string) => ({ id, name, unitId, unitName });

  it('leaves the unit out where the post name says it, in both languages, from the directory', () => {
    expect(postLabel(d, 'zh-CN', ref('p-e-mgmt', '协同管理岗', 'sb-e', '东城分局'))).toBe('东城分局协同管理岗');
    expect(postLabel(d, 'zh-CN', ref('p-e-cid', 'x', 'br-e-cid', '刑警大队'))).toBe('东城刑警大队协同支撑岗');
    expect(postLabel(d, 'en', ref('p-e-cid', 'x', 'br-e-cid', '刑警大队'))).toBe(
      'Dongcheng Criminal Investigation Brigade support',
    );
    expect(postLabel(d, 'en', ref('p-e-mgmt', 'x', 'sb-e', '东城分局'))).toBe(
      'Dongcheng Sub-bureau · Dongcheng collaboration management',
    );
  });

  it("a post the directory does not know keeps the record's names, joined when they differ", () => {
    expect(postLabel(d, 'zh-CN', ref('p-x', '值班岗', 'u-x', '某派出所'))).toBe('某派出所 · 值班岗');
    expect(unitAndPost('', '值班岗')).toBe('值班岗');
  });
});

describe('I18N-4: an incident type stored by id', () => {
  it('reads in the language shown from core’s incident types when no template is cached', () => {
    expect(incidentTypeLabel('theft', [], 'en')).toBe('Theft / robbery');
    expect(incidentTypeLabel('theft', [], 'zh-CN')).toBe('盗窃/抢劫');
    expect(incidentTypeLabel('盗窃/抢劫', [], 'en')).toBe('Theft / robbery');
    expect(incidentTypeLabel('自定义', [], 'en')).toBe('自定义');
  });
});

describe('I18N-4: an approval request in the inbox', () => {
  it('is named by its type id in the language shown; the stored name when the type is unknown here', () => {
    const types = [{ id: 'cctv-retrieval', name: '视频调取', nameEn: 'CCTV retrieval' }];
    const apr = item({ kind: 'approval', text: '视频调取', approvalType: 'cctv-retrieval' });
    expect(inboxItemText(apr, dir, 'en', types)).toBe('CCTV retrieval');
    expect(inboxItemText(apr, dir, 'zh-CN', types)).toBe('视频调取');
    expect(inboxItemText(apr, dir, 'en', [])).toBe('视频调取');
  });
});
