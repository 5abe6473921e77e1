/**
 * The statistics projection in PostgreSQL (`MUSTER_STORE=pg`: several relay nodes share it): the StatsStore of
 * sqliteStatsStore.ts with the same per-group rows, daily rollups (STATS-10) and answers, passing the same contract
 * (statsStoreContract.ts). Each write is one transaction.
 */
import type pg from 'pg';
import { createPool, ensureSchema, inTransaction } from '../store/pg/pool.ts';
import type { PgOptions } from '../store/pg/pool.ts';
import { dumpWith, dutyWindow, figuresOf, onDutyOf, rankRows, trendPoints, withJudged } from './storeFigures.ts';
import type { KeyedRow } from './storeFigures.ts';
import { coveredSql } from './dutySql.ts';
import { PG_DROP_ROLLUPS, PG_ROLLUP_SCHEMA, PG_ROLLUP_VERSION, PG_STATS_SCHEMA, named } from './pgStatsSchema.ts';
import { counters, distinctParticipants, judgedByKey, requiredPosts, signOffRows } from './pgStatsQueries.ts';
import { REBUILD_TIMEOUT_MS, applyRollups, querier, rebuildRollups } from './pgStatsRollups.ts';
import { groupRow, invitationRows, participantRows } from './projectedRows.ts';
import { split, whereRaw } from './statsSql.ts';
import type { KeySpec } from './statsSql.ts';
import { DRILL_SQL, groupStatsRow } from './sqliteDrill.ts';
import type {
  DrillFigure,
  DutyChange,
  DutyInterval,
  Figures,
  GroupStatsRow,
  ProjectedGroup,
  RankRow,
  StatsDump,
  StatsQuery,
  StatsStore,
  TrendBucket,
  TrendPoint,
} from './statsStore.ts';

const insert = (table: string, row: Record<string, unknown>): [string, unknown[]] => {
  const cols = Object.keys(row);
  return [
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, k) => `$${k + 1}`).join(', ')})`,
    Object.values(row),
  ];
};

export class PgStatsStore implements StatsStore {
  readonly pool: pg.Pool;
  readonly #ready: Promise<void>;

  constructor(o: PgOptions) {
    const pool = createPool(o, () => {});
    this.pool = pool;
    this.#ready = (async () => {
      await ensureSchema(pool, o.schema);
      await pool.query(PG_STATS_SCHEMA);
      // Rollups of an older shape are dropped and rebuilt from the per-group rows, by one node at a time.
      await inTransaction(pool, async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext('stats:rollup-version'))`);
        const had = await c.query(`SELECT value FROM stats_cursors WHERE name = 'rollup-version'`);
        if (Number(had.rows[0]?.value) === PG_ROLLUP_VERSION) return void (await c.query(PG_ROLLUP_SCHEMA));
        await c.query(PG_DROP_ROLLUPS);
        await c.query(PG_ROLLUP_SCHEMA);
        await rebuildRollups(querier(c, REBUILD_TIMEOUT_MS));
        await c.query(
          `INSERT INTO stats_cursors VALUES ('rollup-version', $1) ON CONFLICT (name) DO UPDATE SET value = $1`,
          [PG_ROLLUP_VERSION],
        );
      });
    })();
    this.#ready.catch(() => {});
  }

  async #q(sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    await this.#ready;
    return (await this.pool.query(...named(sql, params))).rows as Record<string, unknown>[];
  }
  readonly #query = (sql: string, params?: Record<string, unknown>) => this.#q(sql, params);

  async #tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ready;
    return inTransaction(this.pool, fn);
  }

  async putGroups(groups: readonly ProjectedGroup[], o: { bulk?: boolean } = {}): Promise<void> {
    if (groups.length === 0) return;
    await this.#tx(async (c) => {
      const q = querier(c);
      // Nodes project a group one at a time (a start-up catch-up may meet another node's write of it): the groups'
      // locks are taken first, in id order, so two nodes' pages (STATS-12) never wait on each other in a circle.
      const ids = [...new Set(groups.map((g) => g.facts.groupId))].sort();
      for (const id of ids) await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stats:${id}`]);
      for (const g of groups) {
        const id = g.facts.groupId;
        if (!o.bulk) await applyRollups(q, id, -1);
        for (const t of ['stats_groups', 'stats_invitations', 'stats_participants'])
          await c.query(`DELETE FROM ${t} WHERE group_id = $1`, [id]);
        await c.query(...insert('stats_groups', groupRow(g)));
        for (const r of invitationRows(g)) await c.query(...insert('stats_invitations', r));
        for (const r of participantRows(g)) await c.query(...insert('stats_participants', r));
        if (!o.bulk) await applyRollups(q, id, 1);
      }
    });
  }

  async rebuildRollups(): Promise<void> {
    await this.#tx((c) => rebuildRollups(querier(c, REBUILD_TIMEOUT_MS)));
  }

  async projectedVersions(groupIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.#q(
      `SELECT group_id, source_updated_at FROM stats_groups WHERE group_id = ANY(@ids) AND origin = 'doc'`,
      { ids: groupIds },
    );
    return new Map(rows.map((r) => [r['group_id'] as string, r['source_updated_at'] as number]));
  }

  async clearDocGroups(): Promise<void> {
    await this.#tx(async (c) => {
      const docs = `SELECT group_id FROM stats_groups WHERE origin = 'doc'`;
      await c.query(`DELETE FROM stats_invitations WHERE group_id IN (${docs})`);
      await c.query(`DELETE FROM stats_participants WHERE group_id IN (${docs})`);
      await c.query(`DELETE FROM stats_groups WHERE origin = 'doc'`);
    });
  }

  async applyDuty(changes: readonly DutyChange[]): Promise<void> {
    await this.#tx(async (c) => {
      for (const x of changes) {
        if (x.on) {
          const open = await c.query(
            'SELECT 1 FROM stats_duty WHERE post_id = $1 AND person_id = $2 AND end_at IS NULL',
            [x.postId, x.personId],
          );
          if (open.rowCount === 0)
            await c.query('INSERT INTO stats_duty VALUES ($1, $2, $3, NULL) ON CONFLICT DO NOTHING', [
              x.postId,
              x.personId,
              x.at,
            ]);
        } else {
          await c.query('UPDATE stats_duty SET end_at = $1 WHERE post_id = $2 AND person_id = $3 AND end_at IS NULL', [
            x.at,
            x.postId,
            x.personId,
          ]);
        }
      }
    });
  }

  async addDuty(intervals: readonly DutyInterval[]): Promise<void> {
    await this.#tx(async (c) => {
      for (const i of intervals) {
        await c.query(
          `INSERT INTO stats_duty VALUES ($1, $2, $3, $4)
          ON CONFLICT (post_id, person_id, start_at) DO UPDATE SET end_at = excluded.end_at`,
          [i.postId, i.personId, i.startAt, i.endAt],
        );
      }
    });
  }

  async getCursor(name: string): Promise<number> {
    const rows = await this.#q('SELECT value FROM stats_cursors WHERE name = @name', { name });
    return (rows[0]?.['value'] as number | undefined) ?? 0;
  }

  async setCursor(name: string, value: number): Promise<void> {
    await this.#q(
      `INSERT INTO stats_cursors VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      { name, value },
    );
  }

  async figures(q: StatsQuery): Promise<Figures> {
    const s = split(q, { kind: 'none' }, true);
    const posts = await requiredPosts(this.#query, q, s);
    const window = dutyWindow(q, posts);
    const covered = window
      ? Number((await this.#q(coveredSql('pg'), { posts, from: window.from, end: window.end }))[0]!['covered'])
      : 0;
    return figuresOf(
      (await counters(this.#query, q, s, { kind: 'none' }))[0],
      await signOffRows(this.#query, q, s),
      await distinctParticipants(this.#query, q, s),
      onDutyOf(posts, window, covered),
    );
  }

  async trend(q: StatsQuery, bucket: TrendBucket, tzOffsetMinutes: number): Promise<TrendPoint[]> {
    return trendPoints(await this.#grouped(q, { kind: 'time', bucket, tzMinutes: tzOffsetMinutes }));
  }

  async ranking(q: StatsQuery, by: 'unit' | 'subBureau'): Promise<RankRow[]> {
    return rankRows(await this.#grouped(q, { kind: by }));
  }

  async #grouped(q: StatsQuery, k: KeySpec): Promise<KeyedRow[]> {
    const s = split(q, k, true);
    const groups = await counters(this.#query, q, s, k);
    return withJudged(groups, await judgedByKey(this.#query, q, s, k, groups));
  }

  async groups(
    q: StatsQuery,
    figure: DrillFigure,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: GroupStatsRow[] }> {
    const g = whereRaw(q, q, '', false);
    const post = (q.postKind ? ' AND i.post_kind = @postKind' : '') + (q.postId ? ' AND i.post_id = @postId' : '');
    const params = { ...g.params, limit: page.limit, offset: page.offset, postKind: q.postKind, postId: q.postId };
    const cond = `${g.sql} AND ${DRILL_SQL[figure].replace('$POST', post)}`;
    const total = Number((await this.#q(`SELECT count(*) AS n FROM stats_groups g WHERE ${cond}`, params))[0]!['n']);
    const rows = await this.#q(
      `SELECT * FROM stats_groups g WHERE ${cond} ORDER BY started_at DESC, group_id LIMIT @limit OFFSET @offset`,
      params,
    );
    return { total, rows: rows.map((r) => groupStatsRow(r as never)) };
  }

  async dump(): Promise<StatsDump> {
    return dumpWith((sql) => this.#q(sql));
  }

  async close(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.pool.end();
  }
}

export function openPgStatsStore(o: PgOptions): PgStatsStore {
  return new PgStatsStore(o);
}
