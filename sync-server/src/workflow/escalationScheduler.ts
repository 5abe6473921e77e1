/**
 * ESC-1/ESC-4: one timer for every group document with a watched deadline, loaded or not. The next deadline of each
 * document (core `nextDeadline`, derived from stored facts) is kept in the store's `deadlines` table; at start-up the
 * table is read, so a restart loses no timer and anything due meanwhile fires at once. When a deadline comes, the
 * document is loaded, `overdueToEscalate` → `recordEscalations` write the overdue events with the server's time,
 * and the document's next deadline is armed. With the manual test clock, every move of the clock checks at once.
 */
import { nextDeadline, overdueToEscalate, recordEscalations } from '@muster/core';
import type { DeadlinePolicy, Directory } from '@muster/core';
import type { Clock } from '../clock.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';
import type { Store } from '../store/store.ts';
import type { DocumentAccess } from './types.ts';

/** setTimeout's largest delay. */
const MAX_DELAY = 2 ** 31 - 1;

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  directory: () => Directory;
  docs: () => DocumentAccess;
  /**
   * SCALE-4: a document that could not be checked (another node owns it, the store failed) is checked again after
   * this long (default 5 s): when its owner dies, a node that comes up takes it over and escalates.
   */
  retryMs?: number;
  /** Several nodes: re-read the stored deadlines this often, so deadlines other nodes stored are watched here too. */
  refreshMs?: number;
  /** POL-15: the server's deadline policy (default: SLA-1 and CLOSE-4). */
  deadlines?: DeadlinePolicy;
}

export class EscalationScheduler {
  readonly #o: SchedulerOptions;
  readonly #due = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  /** Store writes in order, so the table ends with the last value set. */
  #writes: Promise<void> = Promise.resolve();

  constructor(options: SchedulerOptions) {
    this.#o = options;
  }

  /** Reads the stored deadlines and arms the timer (a check runs at once when some are due). */
  async start(): Promise<void> {
    for (const row of await this.#o.store.listDeadlines()) this.#due.set(row.docName, row.at);
    this.#o.log.info('escalation deadlines loaded', { documents: this.#due.size });
    this.#arm();
    if (this.#o.refreshMs) {
      this.#refresh = setInterval(() => void this.#reread(), this.#o.refreshMs);
      this.#refresh.unref();
    }
  }

  #refresh: NodeJS.Timeout | null = null;

  /** Takes the stored deadlines of documents this node does not know a deadline of (set by other nodes). */
  async #reread(): Promise<void> {
    try {
      let added = 0;
      for (const row of await this.#o.store.listDeadlines()) {
        if (this.#due.has(row.docName)) continue;
        this.#due.set(row.docName, row.at);
        added++;
      }
      if (added > 0) this.#arm();
    } catch (error) {
      this.#o.log.warn('could not re-read deadlines', { error: errorText(error) });
    }
  }

  /** The document's next deadline (null: none); stored when it changed. */
  update(docName: string, at: number | null): void {
    if (this.#stopped) return;
    if ((this.#due.get(docName) ?? null) === at) return;
    if (at === null) this.#due.delete(docName);
    else this.#due.set(docName, at);
    this.#writes = this.#writes
      .then(() => this.#o.store.setDeadline(docName, at))
      .catch((error: unknown) =>
        this.#o.log.error('could not store a deadline', { doc: docName, error: errorText(error) }),
      );
    this.#arm();
  }

  /** The next deadline known for a document (tests, diagnostics). */
  deadlineOf(docName: string): number | null {
    return this.#due.get(docName) ?? null;
  }

  /** Escalates every document whose deadline has come; resolves when done. */
  check(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#checkOnce();
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = null;
      this.#arm();
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#refresh) clearInterval(this.#refresh);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.#writes;
  }

  async #checkOnce(): Promise<void> {
    const now = this.#o.clock.now();
    const due = [...this.#due].filter(([, at]) => at <= now).map(([docName]) => docName);
    for (const docName of due) {
      if (this.#stopped) return;
      try {
        await this.#o.docs().withDocument(docName, ({ doc }) => {
          const at = this.#o.clock.now();
          const events = recordEscalations(
            doc,
            overdueToEscalate(doc, this.#o.directory(), at, this.#o.deadlines),
            at,
            SERVER_ORIGIN,
          );
          for (const e of events) {
            this.#o.log.info('invitation overdue; escalated', {
              doc: docName,
              invitation: e.invitationId,
              post: e.postId,
              to: e.escalatedToPostId,
            });
          }
          this.update(docName, nextDeadline(doc, at, this.#o.deadlines));
        });
      } catch (error) {
        // Checked again later (in memory only: the stored deadline stays what the document says).
        const retryAt = this.#o.clock.now() + (this.#o.retryMs ?? 5000);
        if ((this.#due.get(docName) ?? Infinity) <= retryAt) this.#due.set(docName, retryAt);
        const level = error instanceof Error && error.name === 'OwnedElsewhere' ? 'debug' : 'error';
        this.#o.log[level]('escalation check not done here', { doc: docName, error: errorText(error) });
      }
    }
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#stopped || this.#running) return;
    let next: number | null = null;
    for (const at of this.#due.values()) if (next === null || at < next) next = at;
    if (next === null) return;
    const delay = Math.min(MAX_DELAY, Math.max(0, next - this.#o.clock.now()));
    this.#timer = setTimeout(() => void this.check(), delay);
    this.#timer.unref();
  }
}
