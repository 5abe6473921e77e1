/**
 * ASSIST-5: a look-up source behind a department's internal HTTP JSON service, configured by URL templates and a
 * field mapping (no code per service). `queryUrl` gets `{by}` and `{value}` (and `{limit}`), `getUrl` gets `{key}`,
 * all URL-encoded; the rows are found at `rowsPath` (dot path) in the JSON reply, the total at `totalPath` (else
 * the number of rows), and each field at its own dot path in a row. Times out after `timeoutMs`; any failure is a
 * SourceError (the answer says the source failed, nothing else breaks).
 */
import { MAX_SUBJECT_LENGTH, SourceError, checkSourceInfo } from './source.ts';
import type { Source, SourceInfo, SourceQuery, SourceRow, SourceRows } from './source.ts';

export interface HttpSourceConfig {
  info: SourceInfo;
  queryUrl: string;
  getUrl: string;
  rowsPath: string;
  totalPath?: string;
  keyPath: string;
  personKeyPath?: string;
  /** Dot path of each field in a row. */
  fieldPaths: Record<string, string>;
  /** Extra request headers (an internal API key, say). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const part of path.split('.').filter(Boolean)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(values[k] ?? ''));

export class HttpSource implements Source {
  readonly info: SourceInfo;
  readonly #c: HttpSourceConfig;

  constructor(config: HttpSourceConfig) {
    if (typeof config !== 'object' || config === null) throw new SourceError('an HTTP source must be an object');
    checkSourceInfo(config.info);
    for (const k of ['queryUrl', 'getUrl', 'rowsPath', 'keyPath'] as const) {
      if (typeof config[k] !== 'string') throw new SourceError(`source ${config.info.id}: ${k} must be a string`);
    }
    if (typeof config.fieldPaths !== 'object' || config.fieldPaths === null) {
      throw new SourceError(`source ${config.info.id}: fieldPaths must map each field to a path`);
    }
    for (const f of config.info.fields) {
      if (!config.fieldPaths[f.key]) throw new SourceError(`source ${config.info.id}: no path for field ${f.key}`);
    }
    for (const u of [config.queryUrl, config.getUrl]) {
      if (!/^https?:\/\//.test(u)) throw new SourceError(`source ${config.info.id}: URL must be http(s): ${u}`);
    }
    this.info = config.info;
    this.#c = config;
  }

  async #fetch(url: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...this.#c.headers },
        signal: AbortSignal.timeout(this.#c.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new SourceError(`source ${this.info.id}: ${(error as Error).message}`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new SourceError(`source ${this.info.id}: HTTP ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw new SourceError(`source ${this.info.id}: the reply is not JSON`);
    }
  }

  #row(r: unknown): SourceRow | null {
    const key = at(r, this.#c.keyPath);
    if (typeof key !== 'string' && typeof key !== 'number') return null;
    const values: SourceRow['values'] = {};
    for (const f of this.info.fields) {
      const v = at(r, this.#c.fieldPaths[f.key]!);
      values[f.key] = typeof v === 'string' || typeof v === 'number' ? v : null;
    }
    const row: SourceRow = { key: String(key), values };
    const person = this.#c.personKeyPath ? at(r, this.#c.personKeyPath) : undefined;
    if (typeof person === 'string' || typeof person === 'number') row.personKey = String(person);
    return row;
  }

  async query(q: SourceQuery): Promise<SourceRows> {
    if (!this.info.keys.includes(q.by)) throw new SourceError(`source ${this.info.id} is not asked by ${q.by}`);
    if (q.value.length > MAX_SUBJECT_LENGTH) return { rows: [], total: 0 };
    const limit = Math.max(0, Math.min(q.limit, 1000));
    const body = await this.#fetch(
      fill(this.#c.queryUrl, {
        by: q.by,
        value: q.value,
        limit: String(limit),
        birthYear: q.birthYear === undefined ? '' : String(q.birthYear),
      }),
    );
    if (body === null) return { rows: [], total: 0 };
    const list = at(body, this.#c.rowsPath);
    if (!Array.isArray(list)) throw new SourceError(`source ${this.info.id}: no rows at ${this.#c.rowsPath}`);
    const rows = list.map((r) => this.#row(r)).filter((r): r is SourceRow => r !== null);
    const total = this.#c.totalPath ? at(body, this.#c.totalPath) : undefined;
    return { rows: rows.slice(0, limit), total: typeof total === 'number' ? total : rows.length };
  }

  async get(key: string): Promise<SourceRow | null> {
    const body = await this.#fetch(fill(this.#c.getUrl, { key }));
    return body === null ? null : this.#row(body);
  }
}
