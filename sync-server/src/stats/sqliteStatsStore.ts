/** The statistics projection in SQLite (better-sqlite3): synchronous inside, async outside (StatsStore). */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { dumpWith, dutyWindow, figuresOf, onDutyOf, rankRows, trendPoints, withJudged } from './storeFigures.ts';
import type { KeyedRow } from './storeFigures.ts';
import { coveredSql } from './dutySql.ts';
import { STATS_FILE, openStatsDatabase } from './sqliteSchema.ts';
import { groupRow, invitationRows, participantRows } from './projectedRows.ts';
import { SqliteRollups } from './sqliteRollups.ts';
import { counters, distinctParticipants, judgedByKey, requiredPosts, signOffRows } from './sqliteQueries.ts';
import { split } from './statsSql.ts';
import { drillGroups } from './sqliteDrill.ts';
import type { KeySpec } from './statsSql.ts';
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

export class SqliteStatsStore implements StatsStore {
  readonly db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();
  readonly #put: (groups: readonly ProjectedGroup[], bulk: boolean) => void;
  readonly #rollups: SqliteRollups;
  readonly #stmtFn = (sql: string): Database.Statement => this.#stmt(sql);

  readonly #useRollups: boolean | 'days';

  /**
   * `rollups: false` answers from the per-group rows alone, `'days'` without the four-week blocks (the bench's
   * baselines); the rollups are kept either way.
   */
  constructor(file: string, o: { rollups?: boolean | 'days' } = {}) {
    this.#useRollups = o.rollups ?? true;
    const opened = openStatsDatabase(file);
    this.db = opened.db;
    const db = this.db;
    this.#rollups = new SqliteRollups(db);
    if (opened.staleRollups) this.#rollups.rebuild();
    const delG = db.prepare('DELETE FROM stats_groups WHERE group_id = ?');
    const delI = db.prepare('DELETE FROM stats_invitations WHERE group_id = ?');
    const delP = db.prepare('DELETE FROM stats_participants WHERE group_id = ?');
    const insG = db.prepare(`INSERT INTO stats_groups VALUES (@group_id, @kind, @incident_type, @unit_id,
      @sub_bureau_id, @template_id, @started_at, @closed_at, @closure_deadline, @timely, @participants, @invitations,
      @escalations, @late, @on_time, @attested, @source_updated_at, @origin)`);
    const insI = db.prepare(`INSERT INTO stats_invitations VALUES (@group_id, @invitation_id, @post_id, @post_kind,
      @post_unit_id, @required, @registered_at, @deadline, @signed_at, @signed_by, @verdict, @basis, @escalated,
      @g_started_at, @g_unit_id, @g_incident_type)`);
    const insP = db.prepare(`INSERT INTO stats_participants VALUES (@group_id, @person_id, @g_started_at, @g_unit_id,
      @g_incident_type)`);
    const rollups = this.#rollups;
    this.#put = db.transaction((groups: readonly ProjectedGroup[], bulk: boolean) => {
      for (const g of groups) {
        const id = g.facts.groupId;
        if (!bulk) rollups.apply(id, -1);
        delG.run(id);
        delI.run(id);
        delP.run(id);
        insG.run(groupRow(g));
        for (const r of invitationRows(g)) insI.run(r);
        for (const r of participantRows(g)) insP.run(r);
        if (!bulk) rollups.apply(id, 1);
      }
    });
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  async putGroups(groups: readonly ProjectedGroup[], o: { bulk?: boolean } = {}): Promise<void> {
    this.#put(groups, o.bulk ?? false);
  }

  async rebuildRollups(): Promise<void> {
    this.#rollups.rebuild();
  }

  async projectedVersions(groupIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.#stmt(
      `SELECT group_id, source_updated_at FROM stats_groups
       WHERE group_id IN (SELECT value FROM json_each(?)) AND origin = 'doc'`,
    ).all(JSON.stringify(groupIds)) as { group_id: string; source_updated_at: number }[];
    return new Map(rows.map((r) => [r.group_id, r.source_updated_at]));
  }

  async clearDocGroups(): Promise<void> {
    this.db.transaction(() => {
      const docGroups = `SELECT group_id FROM stats_groups WHERE origin = 'doc'`;
      this.db.prepare(`DELETE FROM stats_invitations WHERE group_id IN (${docGroups})`).run();
      this.db.prepare(`DELETE FROM stats_participants WHERE group_id IN (${docGroups})`).run();
      this.db.prepare(`DELETE FROM stats_groups WHERE origin = 'doc'`).run();
    })();
  }

  async applyDuty(changes: readonly DutyChange[]): Promise<void> {
    const open = this.#stmt('SELECT 1 FROM stats_duty WHERE post_id = ? AND person_id = ? AND end_at IS NULL');
    const start = this.#stmt('INSERT OR IGNORE INTO stats_duty VALUES (?, ?, ?, NULL)');
    const end = this.#stmt('UPDATE stats_duty SET end_at = ? WHERE post_id = ? AND person_id = ? AND end_at IS NULL');
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.on && !open.get(c.postId, c.personId)) start.run(c.postId, c.personId, c.at);
        else if (!c.on) end.run(c.at, c.postId, c.personId);
      }
    })();
  }

  async addDuty(intervals: readonly DutyInterval[]): Promise<void> {
    const ins = this.#stmt('INSERT OR REPLACE INTO stats_duty VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const i of intervals) ins.run(i.postId, i.personId, i.startAt, i.endAt);
    })();
  }

  async getCursor(name: string): Promise<number> {
    const row = this.#stmt('SELECT value FROM stats_cursors WHERE name = ?').get(name) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  async setCursor(name: string, value: number): Promise<void> {
    this.#stmt('INSERT OR REPLACE INTO stats_cursors VALUES (?, ?)').run(name, value);
  }

  async figures(q: StatsQuery): Promise<Figures> {
    const stmt = this.#stmtFn;
    const s = split(q, { kind: 'none' }, this.#useRollups);
    const posts = requiredPosts(stmt, q, s);
    const window = dutyWindow(q, posts);
    const covered = window
      ? (this.#stmt(coveredSql('sqlite'))
          .pluck()
          .get({ posts: JSON.stringify(posts), from: window.from, end: window.end }) as number)
      : 0;
    return figuresOf(
      counters(stmt, q, s, { kind: 'none' })[0],
      signOffRows(stmt, q, s),
      distinctParticipants(stmt, q, s),
      onDutyOf(posts, window, covered),
    );
  }

  async trend(q: StatsQuery, bucket: TrendBucket, tzOffsetMinutes: number): Promise<TrendPoint[]> {
    return trendPoints(this.#grouped(q, { kind: 'time', bucket, tzMinutes: tzOffsetMinutes }));
  }

  async ranking(q: StatsQuery, by: 'unit' | 'subBureau'): Promise<RankRow[]> {
    return rankRows(this.#grouped(q, { kind: by }));
  }

  #grouped(q: StatsQuery, k: KeySpec): KeyedRow[] {
    const s = split(q, k, this.#useRollups);
    const groups = counters(this.#stmtFn, q, s, k);
    return withJudged(groups, judgedByKey(this.#stmtFn, q, s, k, groups));
  }

  async groups(
    q: StatsQuery,
    figure: DrillFigure,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: GroupStatsRow[] }> {
    return drillGroups(this.#stmtFn, q, figure, page);
  }

  async dump(): Promise<StatsDump> {
    return dumpWith((sql) => this.db.prepare(sql).all());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export function openSqliteStatsStore(dataDir: string, o: { rollups?: boolean | 'days' } = {}): SqliteStatsStore {
  return new SqliteStatsStore(path.join(dataDir, STATS_FILE), o);
}
