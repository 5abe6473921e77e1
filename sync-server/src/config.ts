/** Server configuration from environment variables, with defaults. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from './log.ts';

export type ClockMode = 'system' | 'manual';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  staticDir: string;
  logLevel: LogLevel;
  logFormat: 'plain' | 'json';
  maxMessageBytes: number;
  /**
   * PERF-2: what the relay may hold unsent for one socket (MUSTER_MAX_SOCKET_BUFFER_BYTES, never below twice the
   * largest message); a socket that does not read beyond it is dropped and reconnects.
   */
  maxSocketBufferBytes: number;
  /** Largest JSON body the HTTP API accepts. */
  maxBodyBytes: number;
  /** PHOTO-2: largest photo `PUT /api/photos/<sha256>` accepts (MUSTER_MAX_PHOTO_BYTES). */
  maxPhotoBytes: number;
  clock: ClockMode;
  /** HTTP-2: a request body that sends nothing for this long is answered 400 (MUSTER_HTTP_BODY_IDLE_MS). */
  httpBodyIdleMs: number;
  /** HTTP-2: request headers must arrive within this long (MUSTER_HTTP_HEADERS_TIMEOUT_MS). */
  httpHeadersTimeoutMs: number;
  /**
   * SAFE-1: seed the fictional demo city into a data dir that has no directory yet (`--demo` or MUSTER_DEMO=1;
   * `npm start` asks for it). Off by default, and refused in production.
   */
  demo: boolean;
  /** SAFE-1: NODE_ENV=production or MUSTER_ENV=production: no demo data, no manual clock. */
  production: boolean;
  /** AUDIT-6: the Ed25519 audit key file (MUSTER_AUDIT_KEY_FILE); null: `<dataDir>/audit-signing-key.pem`. */
  auditKeyFile: string | null;
  /** AUDIT-6: how often the audit chain's head is signed into the witness file (MUSTER_AUDIT_CHECKPOINT_MS). */
  auditCheckpointMs: number;
  /** HS256 secret for access tokens; null: generated once and kept in the data dir. */
  jwtSecret: string | null;
  /** A document with no connections is unloaded from memory after this long. */
  docIdleMs: number;
  /** ALIVE-1: websocket ping interval (MUSTER_PING_MS); a socket silent since the last ping is dropped. */
  pingIntervalMs: number;
  /** Compact a document's update log into a snapshot after this many updates. */
  compactEvery: number;
  /**
   * HIST-8: a settled inbox item stays live this long after its fact (MUSTER_INBOX_KEEP_MS, default a day); an
   * inbox is archived as it loads once at least `archiveMin` items would leave (MUSTER_INBOX_ARCHIVE_MIN, 50); inboxes
   * kept in memory are looked at every `archiveEveryMs` (MUSTER_INBOX_ARCHIVE_EVERY_MS, an hour; 0: never).
   */
  inbox: { keepMs: number; staleMs: number; archiveMin: number; archiveEveryMs: number };
  /** Access token lifetime. */
  tokenTtlMs: number;
  /** LOCK-2: minutes of inactivity after which a device locks the app (MUSTER_LOCK_MINUTES, 1..30, default 5). */
  lockMinutes: number;
  /** KEEP-1: days a closed group stays on a device after closure (MUSTER_CLOSED_RETENTION_DAYS, 1..3650, default 30). */
  closedRetentionDays: number;
  /** Security: refresh tokens, session checks, login throttling and relay limits (see README). */
  security: SecurityConfig;
  /** SCALE-1: where data lives: the embedded SQLite file (default) or PostgreSQL (MUSTER_STORE=pg). */
  store: StoreConfig;
  /** SCALE-2: this process is one of several relay nodes (MUSTER_NODE_ID set); null: a single node. */
  cluster: ClusterConfig | null;
  /** ASSIST-*: the look-up assistant. */
  lookup: LookupConfig;
}

export type StoreConfig = { kind: 'sqlite' } | { kind: 'pg'; url: string; schema: string };

export interface ClusterConfig {
  /** This node's id (unique among the nodes). */
  nodeId: string;
  /** The address other nodes reach this node at (http://host:port), for proxying connections to a group's owner. */
  nodeUrl: string;
  /** Redis (ownership hand-over notices between nodes). */
  redisUrl: string;
  /** How long a document lease lasts without renewal; renewed every third of it. */
  leaseMs: number;
}

export interface LookupConfig {
  /**
   * ASSIST-9: rows of the fictional demo sources relative to the full set (1 = the largest table has 1,000,000
   * rows), generated into the data dir in the background at the first demo start; 0 = no demo sources.
   */
  demoScale: number;
  /** ASSIST-7: look-ups per person per minute. */
  perMinute: number;
  /** ASSIST-5: a JSON file of HTTP JSON sources (`[{ info, url, rowsPath, … }]`), or null. */
  sourcesFile: string | null;
  /** ASSIST-11: the assistant's display name in each language (MUSTER_ASSISTANT_NAME_ZH / _EN). */
  assistantName: { zh: string; en: string };
  /** ASSIST-13: an OpenAI-compatible model server that reads questions the parser cannot; null (default): none. */
  model: LookupModelConfig | null;
}

export interface LookupModelConfig {
  /** Base URL of the API, e.g. http://10.0.0.5:8000/v1 (MUSTER_LOOKUP_MODEL_URL). */
  url: string;
  /** Model name sent with each request (MUSTER_LOOKUP_MODEL, default `default`). */
  model: string;
  /** Bearer key, if the server wants one (MUSTER_LOOKUP_MODEL_KEY). */
  apiKey: string | null;
  /** How long one reading may take before the question is answered without it (MUSTER_LOOKUP_MODEL_TIMEOUT_MS). */
  timeoutMs: number;
}

function modelConfig(env: NodeJS.ProcessEnv): LookupModelConfig | null {
  const url = env['MUSTER_LOOKUP_MODEL_URL']?.trim();
  if (!url) return null;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new ConfigError('MUSTER_LOOKUP_MODEL_URL must be an http(s) URL');
  return {
    url: url.replace(/\/+$/, ''),
    model: env['MUSTER_LOOKUP_MODEL']?.trim() || 'default',
    apiKey: env['MUSTER_LOOKUP_MODEL_KEY']?.trim() || null,
    timeoutMs: int(env, 'MUSTER_LOOKUP_MODEL_TIMEOUT_MS', 3_000, 100, 30_000),
  };
}

/** ASSIST-11: the assistant's name unless an admin names it. */
export const DEFAULT_ASSISTANT_NAME = { zh: '助手', en: 'Assistant' } as const;

/** ASSIST-11: a display name: 1–20 characters, no control characters, trimmed. */
function displayName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if ([...raw].length > 20 || /\p{Cc}/u.test(raw)) {
    throw new ConfigError(`${name} must be 1 to 20 characters without control characters`);
  }
  return raw;
}

export interface SecurityConfig {
  refreshTtlMs: number;
  sessionCheckMs: number;
  loginMaxFailures: number;
  loginAddressMaxFailures: number;
  loginLockMs: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
  connectionsPerPerson: number;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** LOCK-2: an admin may shorten or lengthen the device lock, never beyond this. */
export const MAX_LOCK_MINUTES = 30;

export const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  staticDir: path.join(REPO_ROOT, 'web/dist'),
  logLevel: 'info',
  logFormat: 'plain',
  maxMessageBytes: 4 * 1024 * 1024,
  maxSocketBufferBytes: 16 * 1024 * 1024,
  maxBodyBytes: 64 * 1024,
  maxPhotoBytes: 10 * 1024 * 1024,
  httpBodyIdleMs: 10_000,
  httpHeadersTimeoutMs: 10_000,
  lockMinutes: 5,
  closedRetentionDays: 30,
  clock: 'system',
  auditCheckpointMs: 60_000,
  docIdleMs: 30_000,
  pingIntervalMs: 30_000,
  compactEvery: 500,
  inbox: { keepMs: 24 * 3600_000, staleMs: 30 * 24 * 3600_000, archiveMin: 50, archiveEveryMs: 3600_000 },
  tokenTtlMs: 15 * 60 * 1000,
  security: {
    refreshTtlMs: 30 * 24 * 3600_000,
    sessionCheckMs: 2000,
    loginMaxFailures: 5,
    loginAddressMaxFailures: 20,
    loginLockMs: 5 * 60_000,
    messagesPerSecond: 1000,
    bytesPerSecond: 16 * 1024 * 1024,
    connectionsPerPerson: 32,
  },
} as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer in ${min}..${max}`);
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, key: string, allowed: readonly T[], fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

function flag(env: NodeJS.ProcessEnv, key: string): boolean {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${key} must be 1 or 0`);
}

/**
 * Reads the configuration; relative paths are resolved against `cwd`; `argv` may hold `--demo`. Throws ConfigError
 * on bad values, and on a production start that asks for demo data or the manual clock (SAFE-1, SAFE-2).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  argv: readonly string[] = [],
): Config {
  const secret = env['MUSTER_JWT_SECRET'];
  if (secret !== undefined && secret !== '' && secret.length < 32) {
    throw new ConfigError('MUSTER_JWT_SECRET must be at least 32 characters');
  }
  const production = env['NODE_ENV'] === 'production' || env['MUSTER_ENV'] === 'production';
  const demo = argv.includes('--demo') || flag(env, 'MUSTER_DEMO');
  const clock = oneOf(env, 'MUSTER_CLOCK', ['system', 'manual'], DEFAULTS.clock);
  if (production && demo) throw new ConfigError('a production start never seeds demo data (drop --demo/MUSTER_DEMO)');
  if (production && clock === 'manual') throw new ConfigError('a production start never runs MUSTER_CLOCK=manual');
  return {
    port: int(env, 'MUSTER_PORT', DEFAULTS.port, 0, 65535),
    host: env['MUSTER_HOST']?.trim() || DEFAULTS.host,
    dataDir: path.resolve(cwd, env['MUSTER_DATA_DIR']?.trim() || DEFAULTS.dataDir),
    staticDir: path.resolve(cwd, env['MUSTER_STATIC_DIR']?.trim() || DEFAULTS.staticDir),
    logLevel: oneOf(env, 'MUSTER_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], DEFAULTS.logLevel),
    logFormat: oneOf(env, 'MUSTER_LOG_FORMAT', ['plain', 'json'], DEFAULTS.logFormat),
    maxMessageBytes: int(env, 'MUSTER_MAX_MESSAGE_BYTES', DEFAULTS.maxMessageBytes, 1024, 256 * 1024 * 1024),
    maxSocketBufferBytes: int(
      env,
      'MUSTER_MAX_SOCKET_BUFFER_BYTES',
      DEFAULTS.maxSocketBufferBytes,
      64 * 1024,
      1024 * 1024 * 1024,
    ),
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    maxPhotoBytes: int(env, 'MUSTER_MAX_PHOTO_BYTES', DEFAULTS.maxPhotoBytes, 1024, 1 << 30),
    httpBodyIdleMs: int(env, 'MUSTER_HTTP_BODY_IDLE_MS', DEFAULTS.httpBodyIdleMs, 100, 600_000),
    httpHeadersTimeoutMs: int(env, 'MUSTER_HTTP_HEADERS_TIMEOUT_MS', DEFAULTS.httpHeadersTimeoutMs, 100, 600_000),
    clock,
    demo,
    production,
    jwtSecret: secret ? secret : null,
    auditKeyFile: env['MUSTER_AUDIT_KEY_FILE']?.trim() ? path.resolve(cwd, env['MUSTER_AUDIT_KEY_FILE'].trim()) : null,
    auditCheckpointMs: int(env, 'MUSTER_AUDIT_CHECKPOINT_MS', DEFAULTS.auditCheckpointMs, 0, 24 * 3600_000),
    docIdleMs: int(env, 'MUSTER_DOC_IDLE_MS', DEFAULTS.docIdleMs, 0, 24 * 3600_000),
    pingIntervalMs: int(env, 'MUSTER_PING_MS', DEFAULTS.pingIntervalMs, 100, 600_000),
    compactEvery: int(env, 'MUSTER_COMPACT_EVERY', DEFAULTS.compactEvery, 1, 1_000_000),
    inbox: {
      keepMs: int(env, 'MUSTER_INBOX_KEEP_MS', DEFAULTS.inbox.keepMs, 0, 365 * 24 * 3600_000),
      staleMs: int(env, 'MUSTER_INBOX_STALE_MS', DEFAULTS.inbox.staleMs, 0, 3650 * 24 * 3600_000),
      archiveMin: int(env, 'MUSTER_INBOX_ARCHIVE_MIN', DEFAULTS.inbox.archiveMin, 1, 1_000_000),
      archiveEveryMs: int(env, 'MUSTER_INBOX_ARCHIVE_EVERY_MS', DEFAULTS.inbox.archiveEveryMs, 0, 7 * 24 * 3600_000),
    },
    tokenTtlMs: int(env, 'MUSTER_TOKEN_TTL_MS', DEFAULTS.tokenTtlMs, 10_000, 24 * 3600_000),
    lockMinutes: int(env, 'MUSTER_LOCK_MINUTES', DEFAULTS.lockMinutes, 1, MAX_LOCK_MINUTES),
    closedRetentionDays: int(env, 'MUSTER_CLOSED_RETENTION_DAYS', DEFAULTS.closedRetentionDays, 1, 3650),
    security: securityConfig(env),
    ...scaleConfig(env, secret),
    lookup: lookupConfig(env, cwd),
  };
}

function lookupConfig(env: NodeJS.ProcessEnv, cwd: string): LookupConfig {
  const rawScale = env['MUSTER_LOOKUP_DEMO_SCALE']?.trim();
  const demoScale = rawScale ? Number(rawScale) : 1;
  if (!Number.isFinite(demoScale) || demoScale < 0 || demoScale > 1) {
    throw new ConfigError('MUSTER_LOOKUP_DEMO_SCALE must be a number from 0 to 1');
  }
  const file = env['MUSTER_LOOKUP_SOURCES']?.trim();
  return {
    demoScale,
    perMinute: int(env, 'MUSTER_LOOKUP_PER_MINUTE', 30, 1, 100_000),
    sourcesFile: file ? path.resolve(cwd, file) : null,
    assistantName: {
      zh: displayName(env, 'MUSTER_ASSISTANT_NAME_ZH', DEFAULT_ASSISTANT_NAME.zh),
      en: displayName(env, 'MUSTER_ASSISTANT_NAME_EN', DEFAULT_ASSISTANT_NAME.en),
    },
    model: modelConfig(env),
  };
}

function scaleConfig(env: NodeJS.ProcessEnv, secret: string | undefined): Pick<Config, 'store' | 'cluster'> {
  const kind = oneOf(env, 'MUSTER_STORE', ['sqlite', 'pg'], 'sqlite');
  const url = env['MUSTER_PG_URL']?.trim() ?? '';
  if (kind === 'pg' && !url) throw new ConfigError('MUSTER_STORE=pg needs MUSTER_PG_URL (postgres://user@host/db)');
  const schema = env['MUSTER_PG_SCHEMA']?.trim() || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError('MUSTER_PG_SCHEMA must be a lower-case name');
  const store: StoreConfig = kind === 'pg' ? { kind, url, schema } : { kind };
  const nodeId = env['MUSTER_NODE_ID']?.trim();
  if (!nodeId) return { store, cluster: null };
  if (kind !== 'pg') throw new ConfigError('MUSTER_NODE_ID (several nodes) needs MUSTER_STORE=pg');
  if (!secret) throw new ConfigError('MUSTER_NODE_ID (several nodes) needs MUSTER_JWT_SECRET shared by every node');
  // AUDIT-6, SCALE-9: one audit key for the cluster, so every node's checkpoints verify with one public key.
  if (!env['MUSTER_AUDIT_KEY_FILE']?.trim()) {
    throw new ConfigError(
      'MUSTER_NODE_ID (several nodes) needs MUSTER_AUDIT_KEY_FILE: one Ed25519 key file, the same on every node ' +
        '(make it once: openssl genpkey -algorithm ed25519 -out audit-signing-key.pem)',
    );
  }
  const nodeUrl = env['MUSTER_NODE_URL']?.trim() ?? '';
  if (!/^https?:\/\/[^/]+$/.test(nodeUrl)) {
    throw new ConfigError('MUSTER_NODE_URL must be the http://host:port other nodes reach this node at');
  }
  return {
    store,
    cluster: {
      nodeId,
      nodeUrl,
      redisUrl: env['MUSTER_REDIS_URL']?.trim() || 'redis://127.0.0.1:6379',
      leaseMs: int(env, 'MUSTER_LEASE_MS', 6000, 1000, 600_000),
    },
  };
}

function securityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const d = DEFAULTS.security;
  return {
    refreshTtlMs: int(env, 'MUSTER_REFRESH_TTL_MS', d.refreshTtlMs, 60_000, 365 * 24 * 3600_000),
    sessionCheckMs: int(env, 'MUSTER_SESSION_CHECK_MS', d.sessionCheckMs, 100, 600_000),
    loginMaxFailures: int(env, 'MUSTER_LOGIN_MAX_FAILURES', d.loginMaxFailures, 1, 1000),
    loginAddressMaxFailures: int(env, 'MUSTER_LOGIN_ADDRESS_MAX_FAILURES', d.loginAddressMaxFailures, 1, 100_000),
    loginLockMs: int(env, 'MUSTER_LOGIN_LOCK_MS', d.loginLockMs, 1000, 24 * 3600_000),
    messagesPerSecond: int(env, 'MUSTER_LIMIT_MESSAGES_PER_SEC', d.messagesPerSecond, 1, 1_000_000),
    bytesPerSecond: int(env, 'MUSTER_LIMIT_BYTES_PER_SEC', d.bytesPerSecond, 1024, 1 << 30),
    connectionsPerPerson: int(env, 'MUSTER_LIMIT_CONNECTIONS_PER_PERSON', d.connectionsPerPerson, 1, 10_000),
  };
}
