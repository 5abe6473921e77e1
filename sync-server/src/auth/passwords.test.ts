import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('muster-demo');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('muster-demo', h)).toBe(true);
    expect(await verifyPassword('muster-demo ', h)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'));
  });

  it('refuses malformed hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$1$2$3',
      'bcrypt$16384$8$1$aa$bb',
      'scrypt$x$8$1$aa$bbbbbbbbbbbbbbbbbbbbbbbb',
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});
