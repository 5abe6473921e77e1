/**
 * AUDIT-4: the audit page's state: filters, the rows read so far (newest first) and the next older page. Filters are
 * sent as typed; the server checks them and its 400 message is shown as it is.
 */
import type { AuditCheckpoint, AuditEntry } from '@muster/protocol';
import { judgeWitness, keepsHead } from '../auditWitness.ts';
import type { WitnessState } from '../auditWitness.ts';
import { db } from '../db/db.ts';
import { HttpError, api, isNetworkError } from '../sync/api.ts';

export interface AuditFilters {
  person: string;
  group: string;
  action: string;
  /** `datetime-local` values (the device's local time), empty for no bound. */
  from: string;
  to: string;
}

export type AuditError = { kind: 'offline' } | { kind: 'forbidden' } | { kind: 'invalid'; message: string };

const PAGE = 50;

/** The query string of the filters (times as server milliseconds; empty filters left out). */
export function auditQuery(f: AuditFilters, before: number | null): Record<string, string> {
  const q: Record<string, string> = { limit: String(PAGE) };
  if (f.person.trim()) q['person'] = f.person.trim();
  if (f.group.trim()) q['group'] = f.group.trim();
  if (f.action.trim()) q['action'] = f.action.trim();
  const from = f.from ? new Date(f.from).getTime() : NaN;
  const to = f.to ? new Date(f.to).getTime() : NaN;
  if (Number.isFinite(from)) q['from'] = String(from);
  // A minute picked as the end includes the whole minute.
  if (Number.isFinite(to)) q['to'] = String(to + 59_999);
  if (before !== null) q['before'] = String(before);
  return q;
}

export class AuditLog {
  filters = $state<AuditFilters>({ person: '', group: '', action: '', from: '', to: '' });
  entries = $state<AuditEntry[]>([]);
  nextBefore = $state<number | null>(null);
  loading = $state(false);
  /** Whether a search has answered (an empty list then means "nothing matches"). */
  searched = $state(false);
  error = $state<AuditError | null>(null);

  /** AUDIT-6: the checkpoint this device witnessed and what the server's log says against it. */
  witness = $state<AuditCheckpoint | null>(null);
  witnessState = $state<WitnessState>('unknown');

  readonly #token: () => string | null;
  readonly #renew: () => Promise<string | null>;

  constructor(token: () => string | null, renew: () => Promise<string | null>) {
    this.#token = token;
    this.#renew = renew;
  }

  /** Reads the first page for the current filters. */
  search(): Promise<void> {
    return this.#load(null);
  }

  /**
   * AUDIT-6: asks the server for a fresh checkpoint of the chain's head and checks that the log still holds the one
   * this device witnessed before (its row, same hash); keeps the new one only when it does.
   */
  async checkWitness(): Promise<void> {
    const token = this.#token();
    if (!token) return;
    try {
      const saved = (await db.cache.get('audit-witness'))?.checkpoint ?? null;
      const head = await api.auditHead(token);
      let row: AuditEntry | null = null;
      if (saved && head.checkpoint && head.checkpoint.seq >= saved.seq) {
        const page = await api.audit(token, { before: String(saved.seq + 1), limit: '1' });
        row = page.entries[0] ?? null;
      }
      const state = judgeWitness(saved, head.checkpoint, row);
      this.witnessState = state;
      this.witness = saved;
      if (keepsHead(state) && head.checkpoint) {
        await db.cache.put({ key: 'audit-witness', checkpoint: head.checkpoint, fetchedAt: Date.now() });
        this.witness = head.checkpoint;
      }
    } catch (e) {
      if (!isNetworkError(e) && !(e instanceof HttpError)) throw e;
    }
  }

  /** AUDIT-6: the witnessed checkpoint as a file for `npm run audit:verify -- --witness FILE`. */
  witnessFile(): string | null {
    return this.witness ? JSON.stringify({ checkpoint: $state.snapshot(this.witness) }, null, 2) : null;
  }

  /** Reads the next older page. */
  more(): Promise<void> {
    return this.nextBefore === null ? Promise.resolve() : this.#load(this.nextBefore);
  }

  async #load(before: number | null): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.error = null;
    const query = auditQuery($state.snapshot(this.filters), before);
    try {
      let token = this.#token();
      let page;
      try {
        if (!token) throw new HttpError(401, 'unauthorized', 'no token');
        page = await api.audit(token, query);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 401)) throw e;
        token = await this.#renew();
        if (!token) throw e;
        page = await api.audit(token, query);
      }
      this.entries = before === null ? page.entries : [...this.entries, ...page.entries];
      this.nextBefore = page.nextBefore;
      this.searched = true;
    } catch (e) {
      if (e instanceof HttpError && e.status === 403) this.error = { kind: 'forbidden' };
      else if (e instanceof HttpError && e.status === 400) this.error = { kind: 'invalid', message: e.message };
      else if (isNetworkError(e)) this.error = { kind: 'offline' };
      else this.error = { kind: 'invalid', message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.loading = false;
    }
  }
}
