/** One small logger: levels, plain or JSON lines. Never pass tokens or passwords in fields. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names whose values are never written, whatever the caller passes. */
const SECRET_KEYS = new Set(['token', 'password', 'authorization', 'secret', 'jwt']);

export interface LoggerOptions {
  level: LogLevel;
  format: 'plain' | 'json';
  write?: (line: string) => void;
  now?: () => number;
}

function clean(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (SECRET_KEYS.has(k.toLowerCase())) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = v.message;
    else out[k] = v;
  }
  return out;
}

function plainValue(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

export function createLogger(opts: LoggerOptions, bound: LogFields = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = opts.now ?? Date.now;
  const min = RANK[opts.level];
  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
    if (RANK[level] < min) return;
    const all = clean({ ...bound, ...fields });
    const time = new Date(now()).toISOString();
    if (opts.format === 'json') {
      write(JSON.stringify({ time, level, msg, ...all }));
    } else {
      const rest = Object.entries(all)
        .map(([k, v]) => `${k}=${plainValue(v)}`)
        .join(' ');
      write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ' ' + rest : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger({ level: 'silent', format: 'plain', write: () => {} });

/** A request path without its query string, which may carry the access token. */
export function safePath(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The message of an error-like value, for log fields. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
