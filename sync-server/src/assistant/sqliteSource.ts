/**
 * ASSIST-5: a look-up source over one SQLite table (better-sqlite3, read-only use), configured by the table, its key
 * and person columns, one WHERE clause per subject kind (every `?` is bound to the subject's value, or to what the
 * kind's `bind` makes of it: a position's box, ASSIST-12) and one SQL expression per field. Statements are prepared once; lookups use the table's indexes.
 */
import type Database from 'better-sqlite3';
import type { SubjectKind } from '@muster/core';
import { MAX_SUBJECT_LENGTH, SourceError, checkSourceInfo } from './source.ts';
import type { Source, SourceInfo, SourceQuery, SourceRow, SourceRows } from './source.ts';

export interface SqliteSourceConfig {
  info: SourceInfo;
  table: string;
  keyColumn: string;
  personColumn?: string;
  /** WHERE clause per subject kind the source answers. */
  where: Partial<Record<SubjectKind, string>>;
  /** The parameters of a kind's WHERE clause from the subject's value (default: the value for every `?`); null: no rows. */
  bind?: Partial<Record<SubjectKind, (value: string) => (string | number)[] | null>>;
  /** Column with the birth year, for names asked with one. */
  birthYearColumn?: string;
  /** SQL expression per field key. */
  columns: Record<string, string>;
  orderBy?: string;
}

type Row = Record<string, string | number | null>;

export class SqliteSource implements Source {
  readonly info: SourceInfo;
  readonly #db: Database.Database;
  readonly #c: SqliteSourceConfig;
  readonly #stmts = new Map<string, { rows: Database.Statement; count: Database.Statement; arity: number }>();
  readonly #get: Database.Statement;

  constructor(db: Database.Database, config: SqliteSourceConfig) {
    checkSourceInfo(config.info);
    for (const f of config.info.fields) {
      if (!config.columns[f.key]) throw new SourceError(`source ${config.info.id}: no column for field ${f.key}`);
    }
    for (const k of config.info.keys) {
      if (!config.where[k]) throw new SourceError(`source ${config.info.id}: no WHERE clause for ${k}`);
    }
    this.info = config.info;
    this.#db = db;
    this.#c = config;
    this.#get = db.prepare(`SELECT ${this.#select()} FROM ${config.table} WHERE ${config.keyColumn} = ?`);
  }

  #select(): string {
    const c = this.#c;
    const cols = [`${c.keyColumn} AS "__key"`];
    if (c.personColumn) cols.push(`${c.personColumn} AS "__person"`);
    for (const f of c.info.fields) cols.push(`${c.columns[f.key]} AS "${f.key}"`);
    return cols.join(', ');
  }

  #statements(by: SubjectKind, withYear: boolean) {
    const id = `${by}/${withYear}`;
    let s = this.#stmts.get(id);
    if (!s) {
      const c = this.#c;
      let where = `(${c.where[by]})`;
      const arity = (c.where[by]!.match(/\?/g) ?? []).length;
      if (withYear) where += ` AND ${c.birthYearColumn} = ?`;
      const order = c.orderBy ? ` ORDER BY ${c.orderBy}` : '';
      s = {
        rows: this.#db.prepare(`SELECT ${this.#select()} FROM ${c.table} WHERE ${where}${order} LIMIT ?`),
        count: this.#db.prepare(`SELECT count(*) AS n FROM ${c.table} WHERE ${where}`),
        arity,
      };
      this.#stmts.set(id, s);
    }
    return s;
  }

  #row(r: Row): SourceRow {
    const values: SourceRow['values'] = {};
    for (const f of this.info.fields) values[f.key] = r[f.key] ?? null;
    const row: SourceRow = { key: String(r['__key']), values };
    if (r['__person'] !== null && r['__person'] !== undefined) row.personKey = String(r['__person']);
    return row;
  }

  async query(q: SourceQuery): Promise<SourceRows> {
    if (!this.info.keys.includes(q.by)) throw new SourceError(`source ${this.info.id} is not asked by ${q.by}`);
    if (q.value.length > MAX_SUBJECT_LENGTH) return { rows: [], total: 0 };
    const withYear = q.by === 'name' && q.birthYear !== undefined && !!this.#c.birthYearColumn;
    const s = this.#statements(q.by, withYear);
    const bind = this.#c.bind?.[q.by];
    const bound = bind ? bind(q.value) : Array<string>(s.arity).fill(q.value);
    if (!bound || bound.length !== s.arity) return { rows: [], total: 0 };
    const params: (string | number)[] = [...bound];
    if (withYear) params.push(q.birthYear!);
    try {
      const rows = (s.rows.all(...params, Math.max(0, Math.min(q.limit, 1000))) as Row[]).map((r) => this.#row(r));
      const total = (s.count.get(...params) as { n: number }).n;
      return { rows, total };
    } catch (error) {
      throw new SourceError(`source ${this.info.id}: ${(error as Error).message}`);
    }
  }

  async get(key: string): Promise<SourceRow | null> {
    const r = this.#get.get(key) as Row | undefined;
    return r ? this.#row(r) : null;
  }
}
