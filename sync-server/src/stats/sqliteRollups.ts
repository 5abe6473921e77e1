/**
 * STATS-10: keeps the SQLite rollups (rollup.ts) of both spans equal to the per-group rows. A group's old
 * contribution is taken out before its rows are replaced and its new one added after, in the same transaction; a
 * bulk write (rebuild, generated history) skips that and rebuilds the rollups from the rows in a few statements.
 */
import type Database from 'better-sqlite3';
import { BLOCK_SPAN, DAY_MS, DAY_SPAN, ROLLUP_TZ_MINUTES } from './rollup.ts';
import { editHist, signBucket, signBucketSql } from './signTimes.ts';

const SPANS = [DAY_SPAN, BLOCK_SPAN];
/** The span parameter as an integer (a JavaScript number binds as a real: its division would not floor; lower-case
 * `as` since the key lists drop their ` AS name` aliases). */
const SPAN = 'CAST(@span as INTEGER)';
/** The first day of the span (`@span` days, rollup.ts spanStart) holding a server time. */
const day = (col: string): string =>
  `(((((${col} + ${ROLLUP_TZ_MINUTES * 60_000}) / ${DAY_MS}) + 3) / ${SPAN}) * ${SPAN} - 3)`;

const G_COLS = `${SPAN} AS span, ${day('started_at')} AS day, unit_id, coalesce(sub_bureau_id, '') AS sb,
  coalesce(incident_type, '') AS type`;
/** One group's counters (sign 1 or -1 per group; the rebuild sums them). */
const G_VALUES = `1, closed_at IS NOT NULL, timely IS 1, escalations, escalations > 0, participants, on_time, late`;
const G_SUMS = [
  'started',
  'closed',
  'closed_timely',
  'escalations',
  'groups_escalated',
  'participant_times',
  'on_time',
  'late',
];

const S_FROM = `FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
  WHERE i.registered_at IS NOT NULL AND g.started_at IS NOT NULL`;
const S_KEY = `${SPAN} AS span, ${day('g.started_at')} AS day, g.unit_id, coalesce(g.sub_bureau_id, '') AS sb,
  coalesce(g.incident_type, '') AS type, i.post_id, i.post_kind, i.verdict, i.basis, i.required`;
const S_COLS = 'span, day, unit_id, sb, type, post_id, post_kind, verdict, basis, required';
const SEC = `CASE WHEN i.verdict IN ('on-time','late') THEN (i.signed_at - i.registered_at) / 1000 END`;

const P_KEY = `${SPAN} AS span, ${day('g_started_at')} AS day, g_unit_id, coalesce(g_incident_type, '') AS type,
  person_id`;

interface SecRow {
  span: number;
  day: number;
  unit_id: string;
  sb: string;
  type: string;
  post_id: string;
  post_kind: string;
  verdict: string;
  basis: string;
  required: number;
  sec: number | null;
}

export class SqliteRollups {
  readonly #db: Database.Database;
  readonly #groups: Database.Statement;
  readonly #groupsZero: Database.Statement;
  readonly #sign: Database.Statement;
  readonly #signZero: Database.Statement;
  readonly #secRows: Database.Statement;
  readonly #histGet: Database.Statement;
  readonly #histSet: Database.Statement;
  readonly #persons: Database.Statement;
  readonly #personsZero: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    const sums = G_SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
    this.#groups = db.prepare(`INSERT INTO stats_day_groups
      SELECT ${G_COLS}, ${G_VALUES.split(', ')
        .map((v) => `@s * (${v})`)
        .join(', ')}
      FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL
      ON CONFLICT (span, day, unit_id, incident_type, sub_bureau_id) DO UPDATE SET ${sums}`);
    this.#groupsZero = db.prepare(`DELETE FROM stats_day_groups WHERE started = 0
      AND (span, day, unit_id, sub_bureau_id, incident_type) IN
      (SELECT ${G_COLS.replace(/ AS \w+/g, '')} FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL)`);
    this.#sign = db.prepare(`INSERT INTO stats_day_signoff SELECT ${S_KEY}, @s, NULL ${S_FROM} AND i.group_id = @id
      ON CONFLICT (span, day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)
      DO UPDATE SET n = n + excluded.n`);
    this.#signZero = db.prepare(`DELETE FROM stats_day_signoff WHERE n = 0
      AND (span, day, unit_id, sub_bureau_id, incident_type, post_id, post_kind, verdict, basis, required) IN
      (SELECT ${S_KEY.replace(/ AS \w+/g, '')} ${S_FROM} AND i.group_id = @id)`);
    this.#secRows = db.prepare(`SELECT ${S_KEY}, ${SEC} AS sec ${S_FROM} AND i.group_id = @id`);
    const key = `span = @span AND day = @day AND unit_id = @unit_id AND sub_bureau_id = @sb AND incident_type = @type
      AND post_id = @post_id AND post_kind = @post_kind AND verdict = @verdict AND basis = @basis
      AND required = @required`;
    this.#histGet = db.prepare(`SELECT hist FROM stats_day_signoff WHERE ${key}`).pluck();
    this.#histSet = db.prepare(`UPDATE stats_day_signoff SET hist = @hist WHERE ${key}`);
    this.#persons = db.prepare(`INSERT INTO stats_day_persons SELECT ${P_KEY}, @s FROM stats_participants
      WHERE group_id = @id AND g_started_at IS NOT NULL
      ON CONFLICT (span, day, unit_id, incident_type, person_id) DO UPDATE SET n = n + excluded.n`);
    this.#personsZero = db.prepare(`DELETE FROM stats_day_persons WHERE n = 0
      AND (span, day, unit_id, incident_type, person_id) IN
      (SELECT ${P_KEY.replace(/ AS \w+/g, '')} FROM stats_participants WHERE group_id = @id AND g_started_at IS NOT NULL)`);
  }

  /** Adds (sign 1) or takes out (sign -1) the contribution of a group whose per-group rows are present. */
  apply(groupId: string, sign: 1 | -1): void {
    for (const span of SPANS) {
      const p = { id: groupId, s: sign, span };
      const secs = (this.#secRows.all(p) as SecRow[]).filter((r) => r.sec !== null);
      if (sign === -1) this.#editHist(secs, -1);
      this.#groups.run(p);
      this.#sign.run(p);
      this.#persons.run(p);
      if (sign === 1) this.#editHist(secs, 1);
      else {
        this.#groupsZero.run({ id: groupId, span });
        this.#signZero.run({ id: groupId, span });
        this.#personsZero.run({ id: groupId, span });
      }
    }
  }

  #editHist(rows: readonly SecRow[], sign: 1 | -1): void {
    for (const { sec, ...k } of rows) {
      const had = this.#histGet.get(k) as string | null | undefined;
      if (had === undefined) continue;
      this.#histSet.run({ ...k, hist: editHist(had, signBucket(sec!), sign) });
    }
  }

  /** Rebuilds every rollup from the per-group rows. */
  rebuild(): void {
    this.#db.transaction(() => {
      this.#db.exec(`DELETE FROM stats_day_groups; DELETE FROM stats_day_signoff; DELETE FROM stats_day_persons;`);
      const sums = G_VALUES.split(', ')
        .map((v) => `sum(${v})`)
        .join(', ');
      const groups = this.#db.prepare(`INSERT INTO stats_day_groups SELECT ${G_COLS},
        ${sums.replace('sum(1)', 'count(*)')} FROM stats_groups WHERE started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`);
      // Per key and bucket first, then one canonical histogram cell per key (signTimes.ts).
      const sign = this.#db.prepare(`INSERT INTO stats_day_signoff SELECT ${S_COLS}, sum(c),
        group_concat(CASE WHEN b IS NOT NULL THEN b || ':' || c END, ',' ORDER BY b)
        FROM (SELECT ${S_KEY}, ${signBucketSql(`(${SEC})`)} AS b, count(*) AS c ${S_FROM}
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
      const persons = this.#db.prepare(`INSERT INTO stats_day_persons SELECT ${P_KEY}, count(*)
        FROM stats_participants WHERE g_started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`);
      for (const span of SPANS) {
        groups.run({ span });
        sign.run({ span });
        persons.run({ span });
      }
    })();
  }
}
