/**
 * The PostgreSQL store's audit log (AUDIT-1, AUDIT-4): one hash chain for every node, appended under an advisory
 * lock, read with the same filters and paging as the other stores.
 */
import { GENESIS_HASH, auditHash } from '../../audit/chain.ts';
import type { PgDb } from './db.ts';
import { auditOf } from '../sqlite/rows.ts';
import type { AuditDbRow } from '../sqlite/rows.ts';
import type { AuditInput, Store } from '../store.ts';
import type pg from 'pg';

export type AuditOps = Pick<Store, 'appendAudit' | 'listAudit'>;

/**
 * AUDIT-1: appends rows to the one chain inside the caller's transaction (an append of its own, or AUDIT-7 the
 * transaction that stores the updates the rows are about). Every node's rows chain in one order: the advisory lock
 * serialises appends until the transaction ends. Resolves to the last row's sequence number (0: none given).
 */
export async function insertAudit(c: pg.PoolClient, entries: readonly AuditInput[]): Promise<number> {
  if (entries.length === 0) return 0;
  await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-audit'))");
  const last = (
    await c.query<{ seq: number; hash: string | null }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
  ).rows[0];
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (const entry of entries) {
    const row = {
      seq: ++seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      docName: entry.docName ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    };
    const hash = auditHash(prevHash, row);
    await c.query(
      `INSERT INTO audit (seq, at, actor, action, doc_name, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.seq, row.at, row.actor, row.action, row.docName, row.detail, prevHash, hash],
    );
    prevHash = hash;
  }
  return seq;
}

export function auditOps(db: PgDb): AuditOps {
  const appendAudit: Store['appendAudit'] = (entry) => db.tx((c) => insertAudit(c, [entry]));

  // AUDIT-4: the same filters and paging as the other stores.
  const listAudit: Store['listAudit'] = async (opts = {}) => {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, v: string | number | undefined): void => {
      if (v === undefined) return;
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    add('seq > ?', opts.afterSeq);
    add('seq < ?', opts.beforeSeq);
    add('actor = ?', opts.actor);
    add('doc_name = ?', opts.docName);
    add('action = ?', opts.action);
    add('at >= ?', opts.fromAt);
    add('at <= ?', opts.toAt);
    args.push(opts.limit ?? 1000);
    const sql =
      'SELECT * FROM audit' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY seq ${opts.newestFirst ? 'DESC' : 'ASC'} LIMIT $${args.length}`;
    return (await db.q<AuditDbRow>(sql, args)).map(auditOf);
  };

  return { appendAudit, listAudit };
}
