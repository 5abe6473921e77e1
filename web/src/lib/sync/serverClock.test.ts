import { describe, expect, it } from 'vitest';
import { ServerClock } from './serverClock.ts';
import { syncBaseUrl } from './urls.ts';

describe('ServerClock', () => {
  it('estimates server time from the last reply', () => {
    let device = 1_000;
    const c = new ServerClock(() => device);
    expect(c.known).toBe(false);
    c.observe(51_000);
    device = 2_000;
    expect(c.now()).toBe(52_000);
    c.observe(0); // ignored
    expect(c.offset).toBe(50_000);
  });
});

describe('syncBaseUrl', () => {
  it('uses ws for http and wss for https, same host', () => {
    expect(syncBaseUrl('http://localhost:8080')).toBe('ws://localhost:8080/sync');
    expect(syncBaseUrl('https://muster.police.local')).toBe('wss://muster.police.local/sync');
  });
});
