/**
 * The statistics projection's storage: per-group facts (core `statsFacts`) as rows, duty intervals for the on-duty
 * rate, and the queries of the dashboard. Async so that a PostgreSQL implementation can follow the SQLite one
 * (sqliteStatsStore.ts); everything a query needs is in these rows, never in the documents (STATS-2).
 */
import type { StatsFacts, PostKind } from '@muster/core';

/** One group as projected: its facts plus what the directory says of its unit at projection time. */
export interface ProjectedGroup {
  facts: StatsFacts;
  /** DIR-3: the sub-bureau of the group's unit, null for city departments and outside bodies. */
  subBureauId: string | null;
  /** The group-index time of the document version projected (start-up catch-up compares it). */
  sourceUpdatedAt: number;
  /** `doc`: from a stored document; `history`: written by `npm run demo:history` without a document. */
  origin: 'doc' | 'history';
}

/** A change of duty at a post (DIR-4), from the duty API or the audit log. */
export interface DutyChange {
  postId: string;
  personId: string;
  on: boolean;
  at: number;
}

export interface DutyInterval {
  postId: string;
  personId: string;
  startAt: number;
  /** null while still on duty. */
  endAt: number | null;
}

/** What a dashboard query counts: groups whose server start time lies in [from, to). */
export interface StatsQuery {
  from: number;
  to: number;
  /** The server's now: unsigned invitations past their deadline count as not on time. */
  now: number;
  /** Units the asker may see and asked for (null: every unit). */
  unitIds: readonly string[] | null;
  incidentType?: string | null;
  /** Restricts the sign-off figures to posts of this kind. */
  postKind?: PostKind | null;
  postId?: string | null;
}

export interface SignOffFigures {
  /** Registered invitations. */
  invited: number;
  onTime: number;
  late: number;
  /** Registered, unsigned, past the deadline at `now`. */
  overdue: number;
  /** Registered, unsigned, deadline not passed yet. */
  waiting: number;
  /** onTime / (onTime + late + overdue), null when nothing was judged. */
  onTimeRate: number | null;
  /** Time from registration to the judged sign-off, whole seconds (nearest rank). */
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Verdicts judged on an offline-attested time, shown apart (also inside onTime / late). */
  attestedOnTime: number;
  attestedLate: number;
}

export interface Figures {
  started: number;
  closed: number;
  closedTimely: number;
  /** closedTimely / closed, null when none closed. */
  timelyRate: number | null;
  /** Overdue events (ESC-1) of the groups. */
  escalations: number;
  groupsEscalated: number;
  /** 参与人次: distinct persons per group, summed. */
  participantTimes: number;
  distinctParticipants: number;
  signOff: SignOffFigures;
  byKind: ({ postKind: PostKind } & SignOffFigures)[];
  byPost: ({ postId: string; postKind: PostKind } & SignOffFigures)[];
  onDuty: OnDutyFigures;
}

export interface OnDutyFigures {
  /** Posts the groups' templates required (invited by the one tap). */
  requiredPosts: number;
  /** Share of the required post-time within [from, min(to, now)) with someone on duty; null when none. */
  rate: number | null;
  coveredMs: number;
  totalMs: number;
}

export type TrendBucket = 'day' | 'week';

export interface TrendPoint {
  /** Start of the day or week (Monday), server time, in the query's time zone. */
  at: number;
  started: number;
  closed: number;
  closedTimely: number;
  escalations: number;
  onTime: number;
  judged: number;
  participantTimes: number;
}

export interface RankRow {
  /** Unit or sub-bureau id. */
  id: string;
  started: number;
  closed: number;
  closedTimely: number;
  onTime: number;
  judged: number;
  escalations: number;
  participantTimes: number;
}

/** Which groups a drill-down lists. */
export type DrillFigure =
  'started' | 'closed' | 'timely' | 'untimely' | 'open' | 'escalated' | 'late' | 'overdue' | 'attested';
export const DRILL_FIGURES: readonly DrillFigure[] = [
  'started',
  'closed',
  'timely',
  'untimely',
  'open',
  'escalated',
  'late',
  'overdue',
  'attested',
];

export interface GroupStatsRow {
  groupId: string;
  kind: string;
  incidentType: string | null;
  unitId: string;
  subBureauId: string | null;
  startedAt: number;
  closedAt: number | null;
  closureDeadline: number | null;
  timely: boolean | null;
  participants: number;
  escalations: number;
  invitations: number;
  late: number;
  attested: number;
  /** Whether a document stands behind the row (a review can be opened). */
  hasDocument: boolean;
}

export interface StatsStore {
  /** Replaces the rows of each group given, in one transaction. */
  putGroups(groups: readonly ProjectedGroup[]): Promise<void>;
  /** Group id → sourceUpdatedAt of every projected group with a document (start-up catch-up). */
  projectedVersions(): Promise<Map<string, number>>;
  /** Removes the rows of every group projected from a document (before a rebuild); history rows stay. */
  clearDocGroups(): Promise<void>;
  applyDuty(changes: readonly DutyChange[]): Promise<void>;
  /** Adds duty intervals (demo history); an interval with the same post, person and start is replaced. */
  addDuty(intervals: readonly DutyInterval[]): Promise<void>;
  /** A named cursor (for example the last audit row whose duty change was applied). */
  getCursor(name: string): Promise<number>;
  setCursor(name: string, value: number): Promise<void>;

  figures(q: StatsQuery): Promise<Figures>;
  trend(q: StatsQuery, bucket: TrendBucket, tzOffsetMinutes: number): Promise<TrendPoint[]>;
  ranking(q: StatsQuery, by: 'unit' | 'subBureau'): Promise<RankRow[]>;
  groups(
    q: StatsQuery,
    figure: DrillFigure,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: GroupStatsRow[] }>;
  /** Every row of the projection in a canonical order (tests compare incremental and rebuilt). */
  dump(): Promise<{ groups: unknown[]; invitations: unknown[]; participants: unknown[]; duty: unknown[] }>;
  close(): Promise<void>;
}
