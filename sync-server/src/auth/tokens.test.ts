import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { TokenService } from './tokens.ts';

const claims = { sub: 'p-001', name: '测试 (fictional)', policeNo: 'demo001', unitId: 'u1', roles: ['frontline'] };
const secret = 'x'.repeat(40);

describe('TokenService', () => {
  it('issues a token that verifies to the same claims until it expires by the server clock', async () => {
    const clock = new ManualClock(1_764_000_000_000);
    const tokens = new TokenService(secret, clock, 3_600_000);
    const { token, expiresAt } = await tokens.issue(claims);
    expect(expiresAt).toBe(1_764_000_000_000 + 3_600_000);
    expect(await tokens.verify(token)).toEqual({ ...claims, exp: expiresAt });
    clock.advance(3_600_000 + 1000);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses tokens signed with another secret, tampered or garbage', async () => {
    const clock = new ManualClock();
    const { token } = await new TokenService('y'.repeat(40), clock, 60_000).issue(claims);
    const tokens = new TokenService(secret, clock, 60_000);
    expect(await tokens.verify(token)).toBeNull();
    const own = (await tokens.issue(claims)).token;
    const [h, , s] = own.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    expect(await tokens.verify(`${h}.${forged}.${s}`)).toBeNull();
    expect(await tokens.verify('not-a-jwt')).toBeNull();
    expect(await tokens.verify('')).toBeNull();
  });
});
