import { describe, expect, it } from 'vitest';
import { createLogger, safePath } from './log.ts';

describe('logger', () => {
  it('filters by level and writes plain lines with fields', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'plain', write: (l) => lines.push(l), now: () => 0 });
    log.debug('hidden');
    log.info('hello', { doc: 'group:x', n: 1, text: 'two words' });
    expect(lines).toEqual(['1970-01-01T00:00:00.000Z INFO  hello doc=group:x n=1 text="two words"']);
  });

  it('writes JSON lines and never writes token or password values', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l), now: () => 0 });
    log.child({ conn: 3 }).warn('x', { token: 'eyJ.secret', password: 'pw', Authorization: 'Bearer y' });
    const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(rec).toMatchObject({ level: 'warn', msg: 'x', conn: 3, token: '[redacted]', password: '[redacted]' });
    expect(lines[0]).not.toContain('secret');
    expect(lines[0]).not.toContain('Bearer');
  });

  it('strips the query (which may carry the token) from paths', () => {
    expect(safePath('/sync/group:abc?token=eyJ.x.y')).toBe('/sync/group:abc');
    expect(safePath('/api/health')).toBe('/api/health');
    expect(safePath(undefined)).toBe('');
  });
});
