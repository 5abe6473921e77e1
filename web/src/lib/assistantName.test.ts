import { describe, expect, it } from 'vitest';
import { assistantLabel, parseAssistantName } from './assistantName.ts';

describe('assistant name', () => {
  it('ASSIST-11: the configured name is shown in the app language; the default until the server told it', () => {
    const name = parseAssistantName({ name: { zh: '宁宁', en: 'Ningning' } });
    expect(name).toEqual({ zh: '宁宁', en: 'Ningning' });
    expect(assistantLabel(name, 'zh-CN', '助手')).toBe('宁宁');
    expect(assistantLabel(name, 'en', 'Assistant')).toBe('Ningning');
    expect(assistantLabel(null, 'en', 'Assistant')).toBe('Assistant');
  });

  it('ASSIST-11: an answer that is not a name is ignored', () => {
    expect(parseAssistantName(null)).toBeNull();
    expect(parseAssistantName({ name: { zh: '宁宁' } })).toBeNull();
    expect(parseAssistantName({ name: { zh: ' ', en: 'x' } })).toBeNull();
    expect(parseAssistantName({ name: { zh: '宁'.repeat(21), en: 'x' } })).toBeNull();
  });
});
