/**
 * The statistics projection's storage: per-group facts (core `statsFacts`) as rows, duty intervals for the on-duty
 * rate, and the queries of the dashboard. Async so that a PostgreSQL implementation can follow the SQLite one
 * (sqliteStatsStore.ts); everything a query needs is in these rows, never in the documents (STATS-2).
 */
import type { StatsFacts, PostKind } from '@muster/core';
import type { DrillFigure, Figures, GroupStatsRow, RankRow, TrendBucket, TrendPoint } from '@muster/protocol';

export { DRILL_FIGURES } from '@muster/protocol';
export type {
  DrillFigure,
  Figures,
  GroupStatsRow,
  OnDutyFigures,
  RankRow,
  SignOffFigures,
  TrendBucket,
  TrendPoint,
} from '@muster/protocol';

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

export interface StatsDump {
  groups: unknown[];
  invitations: unknown[];
  participants: unknown[];
  duty: unknown[];
  /** The rollups of days and four-week blocks (groups, sign-offs, persons), each in its key order. */
  rollups: unknown[];
}

export interface StatsStore {
  /**
   * Replaces the rows of each group given, in one transaction, and keeps the rollups (STATS-10) equal to them;
   * `bulk` (rebuild, generated history) leaves the rollups to one `rebuildRollups()` afterwards.
   */
  putGroups(groups: readonly ProjectedGroup[], o?: { bulk?: boolean }): Promise<void>;
  /** Rebuilds the rollups from the per-group rows. */
  rebuildRollups(): Promise<void>;
  /** Group id → sourceUpdatedAt of those of `groupIds` projected from a document (start-up catch-up, a page). */
  projectedVersions(groupIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Removes the rows of every group projected from a document (before a rebuild); history rows stay. The rollups
   * follow at the next `rebuildRollups()`.
   */
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
  dump(): Promise<StatsDump>;
  close(): Promise<void>;
}
