/** STATS-4 drill-down in SQLite (its conditions and rows shared with PostgreSQL): the groups behind a figure, newest first, a page at a time (per-group rows). */
import type { DrillFigure, GroupStatsRow, StatsQuery } from './statsStore.ts';
import type { Stmt } from './sqliteQueries.ts';
import { whereRaw } from './statsSql.ts';
import type { Params } from './statsSql.ts';

/** A row of stats_groups as SQLite returns it. */
export interface GroupDbRow {
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

/** The condition of each drill-down figure (SQL both SQLite and PostgreSQL read). */
export const DRILL_SQL: Record<DrillFigure, string> = {
  started: 'true',
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

export function drillGroups(
  stmt: Stmt,
  q: StatsQuery,
  figure: DrillFigure,
  page: { limit: number; offset: number },
): { total: number; rows: GroupStatsRow[] } {
  const g = whereRaw(q, q, '', false);
  const post = (q.postKind ? ' AND i.post_kind = @postKind' : '') + (q.postId ? ' AND i.post_id = @postId' : '');
  const params: Params = { ...g.params, limit: page.limit, offset: page.offset };
  if (q.postKind) params.postKind = q.postKind;
  if (q.postId) params.postId = q.postId;
  const cond = `${g.sql} AND ${DRILL_SQL[figure].replace('$POST', post)}`;
  const total = (stmt(`SELECT count(*) AS n FROM stats_groups g WHERE ${cond}`).get(params) as { n: number }).n;
  const rows = stmt(
    `SELECT * FROM stats_groups g WHERE ${cond}
    ORDER BY started_at DESC, group_id LIMIT @limit OFFSET @offset`,
  ).all(params) as GroupDbRow[];
  return {
    total,
    rows: rows.map(groupStatsRow),
  };
}

/** A drill-down row as the API answers it. */
export function groupStatsRow(r: GroupDbRow): GroupStatsRow {
  return {
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
  };
}
