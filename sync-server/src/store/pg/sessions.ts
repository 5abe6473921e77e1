/**
 * The PostgreSQL store's sign-in state: sessions (refresh rotation, revocation) and the login throttle shared by
 * every node (AUTH-7).
 */
import type { PgDb } from './db.ts';
import { sessionOf } from '../sqlite/rows.ts';
import type { SessionRow } from '../sqlite/rows.ts';
import type { Store } from '../store.ts';

export type SessionOps = Pick<
  Store,
  'createSession' | 'getSession' | 'rotateSession' | 'revokeSessions' | 'listThrottle' | 'setThrottle'
>;

export function sessionOps(db: PgDb): SessionOps {
  const createSession: Store['createSession'] = async (s) => {
    await db.q(
      `INSERT INTO sessions (id, person_id, refresh_hash, created_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.id, s.personId, s.refreshHash, s.createdAt, s.expiresAt, s.revokedAt],
    );
  };

  const getSession: Store['getSession'] = async (id) => {
    const r = (await db.q<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]))[0];
    return r ? sessionOf(r) : null;
  };

  const rotateSession: Store['rotateSession'] = async (id, oldHash, newHash, expiresAt) => {
    await db.ready();
    const r = await db.pool.query(
      `UPDATE sessions SET refresh_hash = $1, expires_at = $2
       WHERE id = $3 AND refresh_hash = $4 AND revoked_at IS NULL`,
      [newHash, expiresAt, id, oldHash],
    );
    return r.rowCount === 1;
  };

  const revokeSessions: Store['revokeSessions'] = async (by, at) => {
    const rows =
      'personId' in by
        ? await db.q<{ id: string }>(
            'UPDATE sessions SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL RETURNING id',
            [at, by.personId],
          )
        : await db.q<{ id: string }>(
            'UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id',
            [at, by.sessionId],
          );
    return rows.map((r) => r.id);
  };

  const listThrottle: Store['listThrottle'] = async () =>
    (
      await db.q<{ key: string; failures: string; locked_until: number; locks: number }>(
        'SELECT key, failures, locked_until, locks FROM login_throttle ORDER BY key',
      )
    ).map((r) => ({
      key: r.key,
      failures: JSON.parse(r.failures) as number[],
      lockedUntil: r.locked_until,
      locks: r.locks,
    }));

  const setThrottle: Store['setThrottle'] = async (key, state) => {
    if (state === null) await db.q('DELETE FROM login_throttle WHERE key = $1', [key]);
    else {
      await db.q(
        `INSERT INTO login_throttle (key, failures, locked_until, locks) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
           locks = excluded.locks`,
        [key, JSON.stringify(state.failures), state.lockedUntil, state.locks],
      );
    }
  };

  return { createSession, getSession, rotateSession, revokeSessions, listThrottle, setThrottle };
}
