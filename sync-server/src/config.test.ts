import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults', () => {
    const c = loadConfig({}, '/srv');
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/data',
      logLevel: 'info',
      maxMessageBytes: 4 * 1024 * 1024,
      clock: 'system',
      jwtSecret: null,
    });
    expect(c.staticDir).toBe(DEFAULTS.staticDir);
    expect(path.basename(path.dirname(c.staticDir))).toBe('web');
  });

  it('reads MUSTER_* variables, port 0 included', () => {
    const c = loadConfig(
      {
        MUSTER_PORT: '0',
        MUSTER_HOST: '127.0.0.1',
        MUSTER_DATA_DIR: 'd',
        MUSTER_STATIC_DIR: '/s',
        MUSTER_LOG_LEVEL: 'debug',
        MUSTER_MAX_MESSAGE_BYTES: '65536',
        MUSTER_CLOCK: 'manual',
        MUSTER_JWT_SECRET: 'z'.repeat(32),
        MUSTER_DOC_IDLE_MS: '0',
        MUSTER_COMPACT_EVERY: '10',
      },
      '/w',
    );
    expect(c).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/w/d',
      staticDir: '/s',
      logLevel: 'debug',
      maxMessageBytes: 65536,
      clock: 'manual',
      jwtSecret: 'z'.repeat(32),
      docIdleMs: 0,
      compactEvery: 10,
    });
  });

  it('refuses bad values with a clear message', () => {
    expect(() => loadConfig({ MUSTER_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ MUSTER_PORT: '70000' })).toThrow(/MUSTER_PORT/);
    expect(() => loadConfig({ MUSTER_CLOCK: 'sundial' })).toThrow(/MUSTER_CLOCK/);
    expect(() => loadConfig({ MUSTER_LOG_LEVEL: 'loud' })).toThrow(/MUSTER_LOG_LEVEL/);
    expect(() => loadConfig({ MUSTER_JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
