/**
 * The PostgreSQL store's audit log (AUDIT-1, AUDIT-4): one hash chain for every node, appended under an advisory
 * lock, read with the same filters and paging as the other stores.
 */
import { GENESIS_HASH, auditHash } from '../../audit/chain.ts';
import type { PgDb } from './db.ts';
import { auditOf } from '../sqlite/rows.ts';
import type { AuditDbRow } from '../sqlite/rows.ts';
import type { Store } from '../store.ts';

export type AuditOps = Pick<Store, 'appendAudit' | 'listAudit'>;

export function auditOps(db: PgDb): AuditOps {
  // AUDIT-1: rows chain in one order across every node: the advisory lock serialises appends.
  const appendAudit: Store['appendAudit'] = (entry) =>
    db.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-audit'))");
      const last = (
        await c.query<{ seq: number; hash: string | null }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
      ).rows[0];
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        docName: entry.docName ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      await c.query(
        `INSERT INTO audit (seq, at, actor, action, doc_name, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [row.seq, row.at, row.actor, row.action, row.docName, row.detail, prevHash, auditHash(prevHash, row)],
      );
      return row.seq;
    });

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
