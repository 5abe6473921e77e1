/**
 * ASSIST-5: a look-up data source. Each declares what it answers (one intent), the subjects it can be asked by,
 * its fields (with how a sensitive one is masked), its sensitivity and the clearance needed to query it. Adapters
 * (SQLite, HTTP JSON) pass one contract suite (sourceContract.ts).
 */
import { isIntent } from '@muster/core';
import type { Intent, LocalName, LookupClearance, SubjectKind } from '@muster/core';

export interface SourceField {
  key: string;
  name: LocalName;
  /** How the value is masked for members (ASSIST-6); absent: shown as it is. */
  mask?: 'id' | 'phone' | 'name' | 'text';
}

export interface SourceInfo {
  id: string;
  name: LocalName;
  intent: Intent;
  /** Subject kinds the source can be asked by; `person` is the sources' shared person key. */
  keys: SubjectKind[];
  fields: SourceField[];
  sensitivity: 'normal' | 'sensitive';
  /** Clearance needed to query the source at all (ASSIST-7). */
  clearance: LookupClearance;
  /** Roles that may query it (any of them); absent: any member. */
  roles?: string[];
}

/** Longer subjects match nothing (no ID, plate, phone, name or address is this long); adapters answer empty. */
export const MAX_SUBJECT_LENGTH = 200;

export interface SourceQuery {
  by: SubjectKind;
  value: string;
  /** With `by: 'name'`: only persons born that year. */
  birthYear?: number;
  /** At most this many rows (the total still counts all). */
  limit: number;
}

export interface SourceRow {
  key: string;
  /** The person the row belongs to (the shared person key), when it names one. */
  personKey?: string;
  values: Record<string, string | number | null>;
}

export interface SourceRows {
  rows: SourceRow[];
  total: number;
}

export interface Source {
  readonly info: SourceInfo;
  /** Rows matching the subject, newest or best first. Throws SourceError on a failure of the source. */
  query(q: SourceQuery): Promise<SourceRows>;
  /** One row by its key (reveal), or null. */
  get(key: string): Promise<SourceRow | null>;
  close?(): Promise<void> | void;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The subject kinds a source may be asked by ("here" is resolved to an address or a position first). */
export const SOURCE_KEY_KINDS: readonly SubjectKind[] = ['id', 'plate', 'phone', 'name', 'address', 'person', 'point'];

/** Checks a source description; throws naming the first problem. */
export function checkSourceInfo(info: SourceInfo): void {
  if (typeof info !== 'object' || info === null) throw new SourceError('source: needs an info object');
  const bad = (what: string): never => {
    throw new SourceError(`source ${typeof info.id === 'string' && info.id ? info.id : '(no id)'}: ${what}`);
  };
  if (!/^[a-z0-9-]{1,40}$/.test(info.id)) bad('id must be 1-40 lower-case letters, digits or -');
  if (typeof info.name?.zh !== 'string' || !info.name.zh || typeof info.name.en !== 'string' || !info.name.en) {
    bad('needs a Chinese and an English name');
  }
  if (!isIntent(info.intent)) bad(`unknown intent ${String(info.intent)}`);
  if (!Array.isArray(info.keys) || info.keys.length === 0) bad('needs at least one key kind');
  for (const k of info.keys) if (!SOURCE_KEY_KINDS.includes(k)) bad(`unknown key kind ${String(k)}`);
  if (![0, 1, 2].includes(info.clearance)) bad('clearance must be 0, 1 or 2');
  if (info.sensitivity !== 'normal' && info.sensitivity !== 'sensitive') bad('sensitivity must be normal or sensitive');
  if (info.roles !== undefined && (!Array.isArray(info.roles) || info.roles.some((r) => typeof r !== 'string'))) {
    bad('roles must be a list of role names');
  }
  if (!Array.isArray(info.fields) || info.fields.length === 0) bad('needs fields');
  const seen = new Set<string>();
  for (const f of info.fields) {
    if (!/^[A-Za-z0-9_]{1,40}$/.test(f.key) || seen.has(f.key)) bad(`bad or repeated field ${f.key}`);
    seen.add(f.key);
    if (!f.name?.zh || !f.name.en) bad(`field ${f.key} needs a Chinese and an English name`);
    if (f.mask !== undefined && !['id', 'phone', 'name', 'text'].includes(f.mask)) bad(`field ${f.key}: unknown mask`);
  }
}
