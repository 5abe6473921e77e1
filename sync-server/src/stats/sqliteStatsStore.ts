/** The statistics projection in SQLite (better-sqlite3): synchronous inside, async outside (StatsStore). */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { PostKind } from '@muster/core';
import { SignOffTally, coveredMs } from './figuresMath.ts';
import type { VerdictRow } from './figuresMath.ts';
import { STATS_FILE, openStatsDatabase } from './sqliteSchema.ts';
import type {
  DrillFigure,
  DutyChange,
  DutyInterval,
  Figures,
  GroupStatsRow,
  ProjectedGroup,
  RankRow,
  StatsQuery,
  StatsStore,
  TrendBucket,
  TrendPoint,
} from './statsStore.ts';

const DAY = 86_400_000;

type Params = Record<string, string | number | null>;

/** A row of stats_groups as SQLite returns it. */
interface GroupDbRow {
  group_id: string;
  kind: string;
  incident_type: string | null;
  unit_id: string;
  sub_bureau_id: string | null;
  started_at: number;
  closed_at: number | null;
  closure_deadline: number | null;
  timely: number | null;
  participants: number;
  invitations: number;
  escalations: number;
  late: number;
  attested: number;
  origin: string;
}

/** WHERE clause of a query over a table with the given column prefix (`` for groups, `g_` for the others). */
function where(q: StatsQuery, p: '' | 'g_', withPost: boolean): { sql: string; params: Params } {
  const parts = [`${p}started_at >= @from`, `${p}started_at < @to`];
  const params: Params = { from: q.from, to: q.to, now: q.now };
  if (q.unitIds) {
    // Literal parameters, not json_each: the planner then checks each row against a small in-memory list.
    const names = q.unitIds.map((u, k) => {
      params[`u${k}`] = u;
      return `@u${k}`;
    });
    parts.push(names.length ? `${p}unit_id IN (${names.join(', ')})` : '0');
  }
  if (q.incidentType) {
    parts.push(`${p}incident_type = @type`);
    params.type = q.incidentType;
  }
  if (withPost && q.postKind) {
    parts.push('post_kind = @postKind');
    params.postKind = q.postKind;
  }
  if (withPost && q.postId) {
    parts.push('post_id = @postId');
    params.postId = q.postId;
  }
  return { sql: parts.join(' AND '), params };
}

const JUDGED = `(verdict IN ('on-time','late') OR (verdict = 'unsigned' AND deadline < @now))`;

const DRILL: Record<DrillFigure, string> = {
  started: '1',
  closed: 'closed_at IS NOT NULL',
  timely: 'timely = 1',
  untimely: 'timely = 0',
  open: 'closed_at IS NULL',
  escalated: 'escalations > 0',
  late: `EXISTS (SELECT 1 FROM stats_invitations i WHERE i.group_id = g.group_id AND i.verdict = 'late' $POST)`,
  overdue: `EXISTS (SELECT 1 FROM stats_invitations i WHERE i.group_id = g.group_id AND i.verdict = 'unsigned'
    AND i.deadline < @now $POST)`,
  attested: `EXISTS (SELECT 1 FROM stats_invitations i WHERE i.group_id = g.group_id AND i.basis = 'attested' $POST)`,
};

export class SqliteStatsStore implements StatsStore {
  readonly db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();
  readonly #put: (groups: readonly ProjectedGroup[]) => void;

  constructor(file: string) {
    this.db = openStatsDatabase(file);
    const db = this.db;
    const delG = db.prepare('DELETE FROM stats_groups WHERE group_id = ?');
    const delI = db.prepare('DELETE FROM stats_invitations WHERE group_id = ?');
    const delP = db.prepare('DELETE FROM stats_participants WHERE group_id = ?');
    const insG = db.prepare(`INSERT INTO stats_groups VALUES (@group_id, @kind, @incident_type, @unit_id,
      @sub_bureau_id, @template_id, @started_at, @closed_at, @closure_deadline, @timely, @participants, @invitations,
      @escalations, @late, @on_time, @attested, @source_updated_at, @origin)`);
    const insI = db.prepare(`INSERT INTO stats_invitations VALUES (@group_id, @invitation_id, @post_id, @post_kind,
      @post_unit_id, @required, @registered_at, @deadline, @signed_at, @signed_by, @verdict, @basis, @escalated,
      @g_started_at, @g_unit_id, @g_incident_type)`);
    const insP = db.prepare('INSERT INTO stats_participants VALUES (?, ?, ?, ?, ?)');
    this.#put = db.transaction((groups: readonly ProjectedGroup[]) => {
      for (const g of groups) {
        const f = g.facts;
        delG.run(f.groupId);
        delI.run(f.groupId);
        delP.run(f.groupId);
        insG.run({
          group_id: f.groupId,
          kind: f.kind,
          incident_type: f.incidentType,
          unit_id: f.unitId,
          sub_bureau_id: g.subBureauId,
          template_id: f.templateId,
          started_at: f.startedAt,
          closed_at: f.closedAt,
          closure_deadline: f.closureDeadline,
          timely: f.timely === null ? null : f.timely ? 1 : 0,
          participants: f.participants.length,
          invitations: f.invitations.length,
          escalations: f.escalations,
          late: f.invitations.filter((i) => i.verdict === 'late').length,
          on_time: f.invitations.filter((i) => i.verdict === 'on-time').length,
          attested: f.invitations.filter((i) => i.basis === 'attested').length,
          source_updated_at: g.sourceUpdatedAt,
          origin: g.origin,
        });
        const gcols = { g_started_at: f.startedAt, g_unit_id: f.unitId, g_incident_type: f.incidentType };
        for (const i of f.invitations) {
          insI.run({
            group_id: f.groupId,
            invitation_id: i.invitationId,
            post_id: i.postId,
            post_kind: i.postKind,
            post_unit_id: i.postUnitId,
            required: i.required ? 1 : 0,
            registered_at: i.registeredAt,
            deadline: i.deadline,
            signed_at: i.signedAt,
            signed_by: i.signedBy,
            verdict: i.verdict,
            basis: i.basis,
            escalated: i.escalated ? 1 : 0,
            ...gcols,
          });
        }
        for (const person of f.participants) insP.run(f.groupId, person, f.startedAt, f.unitId, f.incidentType);
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

  async putGroups(groups: readonly ProjectedGroup[]): Promise<void> {
    this.#put(groups);
  }

  async projectedVersions(): Promise<Map<string, number>> {
    const rows = this.#stmt(`SELECT group_id, source_updated_at FROM stats_groups WHERE origin = 'doc'`).all() as {
      group_id: string;
      source_updated_at: number;
    }[];
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
    const g = where(q, '', false);
    const agg = this.#stmt(
      `SELECT count(*) AS started, coalesce(sum(closed_at IS NOT NULL), 0) AS closed,
      coalesce(sum(timely = 1), 0) AS closedTimely, coalesce(sum(escalations), 0) AS escalations,
      coalesce(sum(escalations > 0), 0) AS groupsEscalated, coalesce(sum(participants), 0) AS participantTimes
      FROM stats_groups WHERE ${g.sql}`,
    ).get(g.params) as Omit<
      Figures,
      'timelyRate' | 'distinctParticipants' | 'signOff' | 'byKind' | 'byPost' | 'onDuty'
    >;
    const p = where(q, 'g_', false);
    const distinct = this.#stmt(`SELECT count(DISTINCT person_id) AS n FROM stats_participants WHERE ${p.sql}`).get(
      p.params,
    ) as { n: number };
    const i = where(q, 'g_', true);
    const rows = this.#stmt(
      `SELECT post_id, post_kind, verdict, basis,
      CASE WHEN verdict IN ('on-time','late') THEN (signed_at - registered_at) / 1000 END AS sec,
      (verdict = 'unsigned' AND deadline < @now) AS overdue, count(*) AS n
      FROM stats_invitations WHERE ${i.sql} AND registered_at IS NOT NULL
      GROUP BY post_id, post_kind, verdict, basis, sec, overdue`,
    ).all(i.params) as VerdictRow[];
    const all = new SignOffTally();
    const kinds = new Map<string, SignOffTally>();
    const posts = new Map<string, { kind: string; t: SignOffTally }>();
    for (const r of rows) {
      all.add(r);
      if (!kinds.has(r.post_kind)) kinds.set(r.post_kind, new SignOffTally());
      kinds.get(r.post_kind)!.add(r);
      if (!posts.has(r.post_id)) posts.set(r.post_id, { kind: r.post_kind, t: new SignOffTally() });
      posts.get(r.post_id)!.t.add(r);
    }
    return {
      ...agg,
      timelyRate: agg.closed === 0 ? null : agg.closedTimely / agg.closed,
      distinctParticipants: distinct.n,
      signOff: all.figures(),
      byKind: [...kinds].sort().map(([k, t]) => ({ postKind: k as PostKind, ...t.figures() })),
      byPost: [...posts]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([id, x]) => ({ postId: id, postKind: x.kind as PostKind, ...x.t.figures() })),
      onDuty: this.#onDuty(q),
    };
  }

  #onDuty(q: StatsQuery): Figures['onDuty'] {
    const i = where(q, 'g_', true);
    const posts = (
      this.#stmt(`SELECT DISTINCT post_id FROM stats_invitations WHERE ${i.sql} AND required = 1`).all(i.params) as {
        post_id: string;
      }[]
    ).map((r) => r.post_id);
    const end = Math.min(q.to, q.now);
    if (posts.length === 0 || end <= q.from)
      return { requiredPosts: posts.length, rate: null, coveredMs: 0, totalMs: 0 };
    const intervals = this.#stmt(
      `SELECT post_id AS postId, person_id AS personId, start_at AS startAt, end_at AS endAt
      FROM stats_duty WHERE post_id IN (SELECT value FROM json_each(?)) AND start_at < ?
      AND (end_at IS NULL OR end_at > ?)`,
    ).all(JSON.stringify(posts), end, q.from) as DutyInterval[];
    let covered = 0;
    for (const post of posts) {
      covered += coveredMs(
        intervals.filter((x) => x.postId === post),
        q.from,
        end,
      );
    }
    const total = posts.length * (end - q.from);
    return { requiredPosts: posts.length, rate: covered / total, coveredMs: covered, totalMs: total };
  }

  async trend(q: StatsQuery, bucket: TrendBucket, tzOffsetMinutes: number): Promise<TrendPoint[]> {
    const size = bucket === 'day' ? DAY : 7 * DAY;
    // Day 0 of the epoch was a Thursday: three days more make weeks start on Monday.
    const shift = tzOffsetMinutes * 60_000 + (bucket === 'week' ? 3 * DAY : 0);
    return this.#grouped(q, `((started_at + ${shift}) / ${size})`, `((g_started_at + ${shift}) / ${size})`).map(
      ({ key, ...r }) => ({ at: Number(key) * size - shift, ...r }),
    );
  }

  async ranking(q: StatsQuery, by: 'unit' | 'subBureau'): Promise<RankRow[]> {
    if (by === 'unit')
      return this.#grouped(q, 'unit_id', 'g_unit_id').map(({ key, ...r }) => ({ id: String(key), ...r }));
    // The invitation rows carry the unit only: sub-bureaus are summed from the units' rows through the groups.
    const rows = this.#grouped(q, 'sub_bureau_id', null);
    return rows.filter((r) => r.key !== null).map(({ key, ...r }) => ({ id: String(key), ...r }));
  }

  #grouped(
    q: StatsQuery,
    gKey: string,
    iKey: string | null,
  ): ({ key: string | number | null } & Omit<TrendPoint, 'at'>)[] {
    const g = where(q, '', false);
    // The key over the groups table when it is joined as `g`.
    const gCol = gKey.replace(/\b(started_at|unit_id|sub_bureau_id)\b/g, 'g.$1');
    const groups = this.#stmt(
      `SELECT ${gKey} AS key, count(*) AS started, sum(closed_at IS NOT NULL) AS closed,
      sum(timely = 1) AS closedTimely, sum(escalations) AS escalations, sum(participants) AS participantTimes,
      sum(on_time) AS onTime, sum(on_time + late) AS judged
      FROM stats_groups WHERE ${g.sql} GROUP BY key ORDER BY key`,
    ).all(g.params) as ({ key: string | number | null } & Omit<TrendPoint, 'at'>)[];
    const sign = new Map<string | number | null, { onTime: number; judged: number }>();
    if (!q.postKind && !q.postId) {
      // The groups' own counters (on time, late) and the few unsigned invitations past their deadline.
      const u = where(q, 'g_', false);
      const overdue = this.#stmt(
        `SELECT ${gCol} AS key, count(*) AS n FROM stats_invitations i
        JOIN stats_groups g ON g.group_id = i.group_id
        WHERE i.verdict = 'unsigned' AND i.deadline < @now AND ${u.sql.replace(/\b(g_\w+)\b/g, 'i.$1')}
        GROUP BY key`,
      ).all(u.params) as { key: string | number | null; n: number }[];
      const late = new Map(overdue.map((r) => [r.key, r.n]));
      return groups.map((r) => ({ ...r, judged: r.judged + (late.get(r.key) ?? 0) }));
    }
    const i = where(q, 'g_', true);
    const iSql = iKey
      ? `SELECT ${iKey} AS key, sum(verdict = 'on-time') AS onTime, sum(${JUDGED}) AS judged
         FROM stats_invitations WHERE ${i.sql} AND registered_at IS NOT NULL GROUP BY key`
      : `SELECT ${gCol} AS key, sum(i.verdict = 'on-time') AS onTime, sum(${JUDGED.replace(/verdict|deadline/g, 'i.$&')}) AS judged
         FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
         WHERE ${i.sql.replace(/\b(g_\w+|post_kind|post_id)\b/g, 'i.$1')} AND i.registered_at IS NOT NULL GROUP BY key`;
    for (const r of this.#stmt(iSql).all(i.params) as { key: string | number | null; onTime: number; judged: number }[])
      sign.set(r.key, { onTime: r.onTime, judged: r.judged });
    return groups.map((r) => ({ ...r, ...(sign.get(r.key) ?? { onTime: 0, judged: 0 }) }));
  }

  async groups(
    q: StatsQuery,
    figure: DrillFigure,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: GroupStatsRow[] }> {
    const g = where(q, '', false);
    const post = (q.postKind ? ' AND i.post_kind = @postKind' : '') + (q.postId ? ' AND i.post_id = @postId' : '');
    const params: Params = { ...g.params, limit: page.limit, offset: page.offset };
    if (q.postKind) params.postKind = q.postKind;
    if (q.postId) params.postId = q.postId;
    const cond = `${g.sql} AND ${DRILL[figure].replace('$POST', post)}`;
    const total = (this.#stmt(`SELECT count(*) AS n FROM stats_groups g WHERE ${cond}`).get(params) as { n: number }).n;
    const rows = this.#stmt(
      `SELECT * FROM stats_groups g WHERE ${cond}
      ORDER BY started_at DESC, group_id LIMIT @limit OFFSET @offset`,
    ).all(params) as GroupDbRow[];
    return {
      total,
      rows: rows.map((r) => ({
        groupId: r.group_id,
        kind: r.kind,
        incidentType: r.incident_type,
        unitId: r.unit_id,
        subBureauId: r.sub_bureau_id,
        startedAt: r.started_at,
        closedAt: r.closed_at,
        closureDeadline: r.closure_deadline,
        timely: r.timely === null ? null : r.timely === 1,
        participants: r.participants,
        escalations: r.escalations,
        invitations: r.invitations,
        late: r.late,
        attested: r.attested,
        hasDocument: r.origin === 'doc',
      })),
    };
  }

  async dump(): Promise<{ groups: unknown[]; invitations: unknown[]; participants: unknown[]; duty: unknown[] }> {
    const all = (sql: string): unknown[] => this.db.prepare(sql).all();
    return {
      // The source version is bookkeeping of the catch-up, not a fact: it is left out.
      groups: all('SELECT * FROM stats_groups ORDER BY group_id').map((r) => {
        const { source_updated_at: _at, ...rest } = r as Record<string, unknown>;
        return rest;
      }),
      invitations: all('SELECT * FROM stats_invitations ORDER BY group_id, invitation_id'),
      participants: all('SELECT * FROM stats_participants ORDER BY group_id, person_id'),
      duty: all('SELECT * FROM stats_duty ORDER BY post_id, person_id, start_at'),
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export function openSqliteStatsStore(dataDir: string): SqliteStatsStore {
  return new SqliteStatsStore(path.join(dataDir, STATS_FILE));
}
