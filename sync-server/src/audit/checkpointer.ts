/**
 * AUDIT-6: the relay signs the audit chain's head into the witness file: every `everyMs` when rows were added, when
 * an auditor asks for the head (their device witnesses it), and at shutdown.
 */
import type { AuditCheckpoint } from '@muster/protocol';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
import type { Store } from '../store/store.ts';
import { appendCheckpoint, readCheckpoints, signCheckpoint } from './checkpoints.ts';
import type { AuditSigningKey } from './signingKey.ts';

export interface CheckpointerOptions {
  store: Pick<Store, 'listAudit'>;
  clock: Clock;
  key: AuditSigningKey;
  /** The witness file (JSON lines). */
  file: string;
  log: Logger;
  /** 0: no timer (checkpoints only on demand and at shutdown). */
  everyMs: number;
}

export class AuditCheckpointer {
  readonly #o: CheckpointerOptions;
  #latest: AuditCheckpoint | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<AuditCheckpoint | null> | null = null;

  constructor(o: CheckpointerOptions) {
    this.#o = o;
    for (const cp of readCheckpoints(o.file)) if (!this.#latest || cp.seq > this.#latest.seq) this.#latest = cp;
  }

  get latest(): AuditCheckpoint | null {
    return this.#latest;
  }

  start(): void {
    if (this.#o.everyMs > 0 && !this.#timer) {
      this.#timer = setInterval(() => void this.checkpoint(), this.#o.everyMs);
      this.#timer.unref();
    }
  }

  /** Signs the current head when it moved since the last checkpoint; resolves to the latest checkpoint. */
  checkpoint(): Promise<AuditCheckpoint | null> {
    // One at a time: two appends of the same head would only repeat a line.
    this.#running ??= this.#take().finally(() => (this.#running = null));
    return this.#running;
  }

  async #take(): Promise<AuditCheckpoint | null> {
    try {
      const [head] = await this.#o.store.listAudit({ newestFirst: true, limit: 1 });
      if (!head?.hash || (this.#latest && head.seq <= this.#latest.seq)) return this.#latest;
      const cp = signCheckpoint(this.#o.key, { seq: head.seq, hash: head.hash }, this.#o.clock.now());
      appendCheckpoint(this.#o.file, cp);
      this.#latest = cp;
      return cp;
    } catch (error) {
      this.#o.log.error('audit checkpoint failed', { error: errorText(error) });
      return this.#latest;
    }
  }

  /** Stops the timer and takes a last checkpoint. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.checkpoint();
  }
}
