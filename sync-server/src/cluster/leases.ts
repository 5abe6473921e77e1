/**
 * SCALE-2: ownership of a document by a lease in PostgreSQL with a fencing token. Exactly one node may act for a
 * document (stamp, run its workflow, escalate, persist): the node holding its unexpired lease. A lease is taken when
 * free or expired (a fresh token from a sequence), renewed every third of its length in one statement for all the
 * node's documents, and released when the document leaves memory. The store checks the token inside each write's
 * transaction (pgStore.ts `fence`), so a node that lost a lease can never persist a stamp or an escalation.
 *
 * A node also gives up every lease on its own once it has not renewed within the lease's length (it may be cut off
 * from PostgreSQL): `fence()` then answers null at once, before any other node can take over (the others wait for
 * PostgreSQL's clock to pass the expiry, which is later than the last renewal this node started).
 *
 * PostgreSQL rather than Redis holds leases: the token must be checked in the same transaction as the write it
 * guards, and Redis here keeps no data across a restart.
 */
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
import type { FenceToken } from '../store/pgStore.ts';

export interface LeaseOwner {
  node: string;
  url: string;
}

/** Loading a document this node may not own: another node holds its lease. */
export class OwnedElsewhere extends Error {
  readonly owner: LeaseOwner;
  constructor(docName: string, owner: LeaseOwner) {
    super(`${docName} is owned by node ${owner.node}`);
    this.name = 'OwnedElsewhere';
    this.owner = owner;
  }
}

export interface LeaseOptions {
  pool: pg.Pool;
  nodeId: string;
  nodeUrl: string;
  leaseMs: number;
  log: Logger;
  /** Leases this node no longer holds (taken over, expired, or not renewed in time). */
  lost: (docNames: string[]) => void;
  /** A lease was taken or given up (hand-over notices to the other nodes). */
  changed?: (docName: string, held: boolean) => void;
}

export class LeaseKeeper {
  readonly #o: LeaseOptions;
  readonly #held = new Map<string, number>();
  /** performance.now() until which the held leases are surely unexpired (last renewal's start + length). */
  #validUntil = 0;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #renewing: Promise<void> | null = null;
  /** False after a renewal failed (readiness). */
  healthy = true;

  constructor(options: LeaseOptions) {
    this.#o = options;
  }

  get nodeId(): string {
    return this.#o.nodeId;
  }

  /** Documents this node holds leases on. */
  get held(): string[] {
    return [...this.#held.keys()];
  }

  start(): void {
    const every = Math.max(100, Math.floor(this.#o.leaseMs / 3));
    this.#timer = setInterval(() => {
      this.checkLapse();
      this.#renewing ??= this.#renew().finally(() => (this.#renewing = null));
    }, every);
    this.#timer.unref();
  }

  /** The token this node holds on a document, or null (never while the leases may have lapsed). */
  fence = (docName: string): FenceToken | null => {
    const token = this.#held.get(docName);
    if (token === undefined || performance.now() >= this.#validUntil) return null;
    return { node: this.#o.nodeId, token };
  };

  /** Takes the document's lease when free or expired; throws OwnedElsewhere when another node holds it. */
  async acquire(docName: string): Promise<number> {
    if (this.#stopped) throw new Error('lease keeper stopped');
    const held = this.fence(docName);
    if (held) return held.token;
    const started = performance.now();
    const r = await this.#o.pool.query<{ token: number }>(
      `INSERT INTO leases (doc, node, node_url, token, expires_at)
       VALUES ($1, $2, $3, nextval('lease_tokens'), clock_timestamp() + $4 * interval '1 millisecond')
       ON CONFLICT (doc) DO UPDATE SET node = excluded.node, node_url = excluded.node_url, token = excluded.token,
         expires_at = excluded.expires_at
       WHERE leases.expires_at < clock_timestamp() OR leases.node = excluded.node
       RETURNING token`,
      [docName, this.#o.nodeId, this.#o.nodeUrl, this.#o.leaseMs],
    );
    const row = r.rows[0];
    if (!row) {
      const owner = await this.ownerOf(docName);
      if (owner && owner.node !== this.#o.nodeId) throw new OwnedElsewhere(docName, owner);
      return this.acquire(docName);
    }
    // With no other lease held, this one alone says how long leases surely last; otherwise the older ones (renewed
    // earlier) bound it.
    if (this.#held.size === 0) this.#validUntil = started + this.#o.leaseMs;
    this.#held.set(docName, row.token);
    this.#o.log.info('lease taken', { doc: docName, token: row.token });
    this.#o.changed?.(docName, true);
    return row.token;
  }

  /** The node holding an unexpired lease on the document, or null. */
  async ownerOf(docName: string): Promise<LeaseOwner | null> {
    const r = await this.#o.pool.query<{ node: string; node_url: string }>(
      'SELECT node, node_url FROM leases WHERE doc = $1 AND expires_at > clock_timestamp()',
      [docName],
    );
    const row = r.rows[0];
    return row ? { node: row.node, url: row.node_url } : null;
  }

  /** Gives a lease up (the document left memory). */
  async release(docName: string): Promise<void> {
    const token = this.#held.get(docName);
    if (token === undefined) return;
    this.#held.delete(docName);
    try {
      await this.#o.pool.query('DELETE FROM leases WHERE doc = $1 AND node = $2 AND token = $3', [
        docName,
        this.#o.nodeId,
        token,
      ]);
      this.#o.changed?.(docName, false);
    } catch (error) {
      // It expires on its own.
      this.#o.log.warn('lease release failed', { doc: docName, error: errorText(error) });
    }
  }

  async #renew(): Promise<void> {
    if (this.#stopped) return;
    const docs = [...this.#held.keys()];
    if (docs.length === 0) {
      this.healthy = await this.#o.pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      return;
    }
    const started = performance.now();
    try {
      const r = await this.#o.pool.query<{ doc: string; token: number }>(
        `UPDATE leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE node = $1 AND doc = ANY($2::text[]) AND expires_at > clock_timestamp() RETURNING doc, token`,
        [this.#o.nodeId, docs, this.#o.leaseMs],
      );
      this.healthy = true;
      this.#validUntil = started + this.#o.leaseMs;
      const kept = new Map(r.rows.map((x) => [x.doc, x.token]));
      const lost = docs.filter((d) => this.#held.has(d) && kept.get(d) !== this.#held.get(d));
      if (lost.length) this.#lose(lost, 'taken over or expired');
    } catch (error) {
      this.healthy = false;
      this.#o.log.warn('lease renewal failed', { error: errorText(error), leases: docs.length });
      if (performance.now() >= this.#validUntil) this.#lose([...this.#held.keys()], 'not renewed in time');
    }
  }

  #lose(docs: string[], why: string): void {
    for (const d of docs) this.#held.delete(d);
    this.#o.log.warn('leases lost; this node stops acting for them', { documents: docs.length, why });
    this.#o.lost(docs);
  }

  /** Checks now whether the leases have lapsed without renewal (the timer's job; tests call it too). */
  checkLapse(): void {
    if (this.#held.size > 0 && performance.now() >= this.#validUntil) {
      this.#lose([...this.#held.keys()], 'not renewed in time');
    }
  }

  /** Stops renewing and gives every lease up. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#renewing;
    await Promise.all([...this.#held.keys()].map((d) => this.release(d)));
  }
}
