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

  it('LOCK-2: the device lock time is 5 minutes unless an admin sets 1..30', () => {
    expect(loadConfig({}).lockMinutes).toBe(5);
    expect(loadConfig({ MUSTER_LOCK_MINUTES: '12' }).lockMinutes).toBe(12);
    expect(() => loadConfig({ MUSTER_LOCK_MINUTES: '31' })).toThrow(/MUSTER_LOCK_MINUTES/);
    expect(() => loadConfig({ MUSTER_LOCK_MINUTES: '0' })).toThrow(/MUSTER_LOCK_MINUTES/);
  });

  it('KEEP-1: closed groups stay on devices 30 days unless an admin sets 1..3650', () => {
    expect(loadConfig({}).closedRetentionDays).toBe(30);
    expect(loadConfig({ MUSTER_CLOSED_RETENTION_DAYS: '7' }).closedRetentionDays).toBe(7);
    expect(() => loadConfig({ MUSTER_CLOSED_RETENTION_DAYS: '0' })).toThrow(/MUSTER_CLOSED_RETENTION_DAYS/);
  });

  it('ASSIST-11: the assistant is called 助手 / Assistant unless an admin names it in each language', () => {
    expect(loadConfig({}, '/srv').lookup.assistantName).toEqual({ zh: '助手', en: 'Assistant' });
    const named = loadConfig({ MUSTER_ASSISTANT_NAME_ZH: ' 宁宁 ', MUSTER_ASSISTANT_NAME_EN: 'Ningning' }, '/srv');
    expect(named.lookup.assistantName).toEqual({ zh: '宁宁', en: 'Ningning' });
    expect(() => loadConfig({ MUSTER_ASSISTANT_NAME_EN: 'x'.repeat(21) }, '/srv')).toThrow(/MUSTER_ASSISTANT_NAME_EN/);
    expect(() => loadConfig({ MUSTER_ASSISTANT_NAME_ZH: '宁\u0007宁' }, '/srv')).toThrow(ConfigError);
  });

  it('ASSIST-13: no look-up model unless MUSTER_LOOKUP_MODEL_URL names one (http or https)', () => {
    expect(loadConfig({}, '/srv').lookup.model).toBeNull();
    expect(
      loadConfig({ MUSTER_LOOKUP_MODEL_URL: 'http://10.0.0.5:8000/v1/', MUSTER_LOOKUP_MODEL: 'qwen' }, '/srv').lookup
        .model,
    ).toEqual({ url: 'http://10.0.0.5:8000/v1', model: 'qwen', apiKey: null, timeoutMs: 3_000 });
    expect(() => loadConfig({ MUSTER_LOOKUP_MODEL_URL: 'ftp://x' }, '/srv')).toThrow(/MUSTER_LOOKUP_MODEL_URL/);
  });

  it('refuses bad values with a clear message', () => {
    expect(() => loadConfig({ MUSTER_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ MUSTER_PORT: '70000' })).toThrow(/MUSTER_PORT/);
    expect(() => loadConfig({ MUSTER_CLOCK: 'sundial' })).toThrow(/MUSTER_CLOCK/);
    expect(() => loadConfig({ MUSTER_LOG_LEVEL: 'loud' })).toThrow(/MUSTER_LOG_LEVEL/);
    expect(() => loadConfig({ MUSTER_JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('SCALE-1: picks the store from MUSTER_STORE and refuses PostgreSQL without a URL', () => {
    expect(loadConfig({}, '/srv').store).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ MUSTER_STORE: 'pg', MUSTER_PG_URL: 'postgres://u@h/db' }, '/srv').store).toEqual({
      kind: 'pg',
      url: 'postgres://u@h/db',
      schema: 'public',
    });
    expect(() => loadConfig({ MUSTER_STORE: 'pg' }, '/srv')).toThrow(/MUSTER_PG_URL/);
    expect(() => loadConfig({ MUSTER_STORE: 'pg', MUSTER_PG_URL: 'x', MUSTER_PG_SCHEMA: 'A;' }, '/srv')).toThrow(
      ConfigError,
    );
  });

  it('SCALE-2 SCALE-9: several nodes need PostgreSQL, a shared secret and audit key, and a reachable node address', () => {
    const pg = { MUSTER_STORE: 'pg', MUSTER_PG_URL: 'postgres://u@h/db' };
    const secret = { MUSTER_JWT_SECRET: 'x'.repeat(32), MUSTER_AUDIT_KEY_FILE: '/etc/muster/audit.pem' };
    expect(() => loadConfig({ MUSTER_NODE_ID: 'a' }, '/srv')).toThrow(/MUSTER_STORE=pg/);
    expect(() => loadConfig({ ...pg, MUSTER_NODE_ID: 'a' }, '/srv')).toThrow(/MUSTER_JWT_SECRET/);
    expect(() =>
      loadConfig(
        { ...pg, MUSTER_JWT_SECRET: 'x'.repeat(32), MUSTER_NODE_ID: 'a', MUSTER_NODE_URL: 'http://h:1' },
        '/srv',
      ),
    ).toThrow(/MUSTER_AUDIT_KEY_FILE/);
    expect(() => loadConfig({ ...pg, ...secret, MUSTER_NODE_ID: 'a' }, '/srv')).toThrow(/MUSTER_NODE_URL/);
    const c = loadConfig({ ...pg, ...secret, MUSTER_NODE_ID: 'a', MUSTER_NODE_URL: 'http://10.0.0.5:8080' }, '/srv');
    expect(c.cluster).toEqual({
      nodeId: 'a',
      nodeUrl: 'http://10.0.0.5:8080',
      redisUrl: 'redis://127.0.0.1:6379',
      leaseMs: 6000,
    });
    expect(loadConfig({}, '/srv').cluster).toBeNull();
  });
});

describe('secure defaults (SAFE-1, SAFE-2)', () => {
  it('SAFE-1: no demo data unless asked, by --demo or MUSTER_DEMO=1', () => {
    expect(loadConfig({}, '/srv').demo).toBe(false);
    expect(loadConfig({}, '/srv', ['--demo']).demo).toBe(true);
    expect(loadConfig({ MUSTER_DEMO: '1' }, '/srv').demo).toBe(true);
    expect(() => loadConfig({ MUSTER_DEMO: 'yes please' }, '/srv')).toThrow(ConfigError);
  });

  it('SAFE-1: a production start refuses demo data', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, '/srv', ['--demo'])).toThrow(/never seeds demo data/);
    expect(() => loadConfig({ MUSTER_ENV: 'production', MUSTER_DEMO: '1' }, '/srv')).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv')).toMatchObject({ production: true, demo: false });
  });

  it('SAFE-2: a production start refuses the manual clock', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', MUSTER_CLOCK: 'manual' }, '/srv')).toThrow(/manual/);
  });
});
