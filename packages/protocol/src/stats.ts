/**
 * Wire types of the statistics API (`/api/stats/*`, STATS-3..STATS-7): what the server's projection answers and the
 * dashboard shows. Times are server milliseconds.
 */
import type { PostKind } from './api.ts';

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

/** Query the server echoes beside each answer (units: null = every unit the reader may see). */
export interface StatsQueryEcho {
  from: number;
  to: number;
  now: number;
  unitIds: readonly string[] | null;
  incidentType?: string | null;
  postKind?: PostKind | null;
  postId?: string | null;
}

export interface StatsFiguresResponse {
  query: StatsQueryEcho;
  figures: Figures;
  serverTime: number;
}
export interface StatsTrendResponse {
  query: StatsQueryEcho;
  bucket: TrendBucket;
  points: TrendPoint[];
  serverTime: number;
}
export interface StatsRankingResponse {
  query: StatsQueryEcho;
  by: 'unit' | 'subBureau';
  rows: RankRow[];
  serverTime: number;
}
export interface StatsGroupsResponse {
  query: StatsQueryEcho;
  figure: DrillFigure;
  total: number;
  rows: GroupStatsRow[];
  serverTime: number;
}
export type StatsScopeWire = { all: true } | { all: false; unitIds: string[] };
export interface StatsScopeResponse {
  scope: StatsScopeWire;
  serverTime: number;
}
