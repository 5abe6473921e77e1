import { describe, expect, it } from 'vitest';
import { HttpError } from './httpError.ts';

describe('HttpError', () => {
  it('is rebuilt from an ApiError answer with its code, message and Retry-After', () => {
    const e = HttpError.fromAnswer(423, 'Locked', { error: 'account-locked', message: 'locked' }, '60');
    expect(e).toBeInstanceOf(HttpError);
    expect([e.status, e.code, e.message, e.retryAfterS]).toEqual([423, 'account-locked', 'locked', 60]);
    expect(e.body()).toEqual({ error: 'account-locked', message: 'locked' });
  });

  it('falls back to the status line when the answer has no ApiError body', () => {
    const e = HttpError.fromAnswer(502, 'Bad Gateway', null);
    expect([e.code, e.message, e.retryAfterS]).toEqual(['http-502', 'Bad Gateway', undefined]);
  });
});
