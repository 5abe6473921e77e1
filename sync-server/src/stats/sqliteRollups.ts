/**
 * STATS-10: keeps the SQLite daily rollups (rollup.ts) equal to the per-group rows. A group's old contribution is
 * taken out before its rows are replaced and its new one added after, in the same transaction; a bulk write (rebuild,
 * generated history) skips that and rebuilds the rollups from the rows in a few statements.
 */
import type Database from 'better-sqlite3';
import { DAY_MS, ROLLUP_TZ_MINUTES, editSecs } from './rollup.ts';

const DAY = `(($at + ${ROLLUP_TZ_MINUTES * 60_000}) / ${DAY_MS})`;
const day = (col: string): string => DAY.replace('$at', col);

const G_COLS = `${day('started_at')} AS day, unit_id, coalesce(sub_bureau_id, '') AS sb,
  coalesce(incident_type, '') AS type`;
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
/** One group's counters (sign 1 or -1 per group; the rebuild sums them). */
const G_VALUES = `1, closed_at IS NOT NULL, timely IS 1, escalations, escalations > 0, participants, on_time, late`;

const S_FROM = `FROM stats_invitations i JOIN stats_groups g ON g.group_id = i.group_id
  WHERE i.registered_at IS NOT NULL AND g.started_at IS NOT NULL`;
const S_KEY = `${day('g.started_at')} AS day, g.unit_id, coalesce(g.sub_bureau_id, '') AS sb,
  coalesce(g.incident_type, '') AS type, i.post_id, i.post_kind, i.verdict, i.basis, i.required`;
const SEC = `CASE WHEN i.verdict IN ('on-time','late') THEN (i.signed_at - i.registered_at) / 1000 END`;

const P_KEY = `${day('g_started_at')} AS day, g_unit_id, coalesce(g_incident_type, '') AS type, person_id`;

interface SecRow {
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
  readonly #secsGet: Database.Statement;
  readonly #secsSet: Database.Statement;
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
      ON CONFLICT (day, unit_id, incident_type, sub_bureau_id) DO UPDATE SET ${sums}`);
    this.#groupsZero = db.prepare(`DELETE FROM stats_day_groups WHERE started = 0
      AND (day, unit_id, sub_bureau_id, incident_type) IN
      (SELECT ${G_COLS.replace(/ AS \w+/g, '')} FROM stats_groups WHERE group_id = @id AND started_at IS NOT NULL)`);
    this.#sign = db.prepare(`INSERT INTO stats_day_signoff SELECT ${S_KEY}, @s, NULL ${S_FROM} AND i.group_id = @id
      ON CONFLICT (day, unit_id, incident_type, sub_bureau_id, post_id, post_kind, verdict, basis, required)
      DO UPDATE SET n = n + excluded.n`);
    this.#signZero = db.prepare(`DELETE FROM stats_day_signoff WHERE n = 0
      AND (day, unit_id, sub_bureau_id, incident_type, post_id, post_kind, verdict, basis, required) IN
      (SELECT ${S_KEY.replace(/ AS \w+/g, '')} ${S_FROM} AND i.group_id = @id)`);
    this.#secRows = db.prepare(`SELECT ${S_KEY}, ${SEC} AS sec ${S_FROM} AND i.group_id = ?`);
    const key = `day = @day AND unit_id = @unit_id AND sub_bureau_id = @sb AND incident_type = @type
      AND post_id = @post_id AND post_kind = @post_kind AND verdict = @verdict AND basis = @basis
      AND required = @required`;
    this.#secsGet = db.prepare(`SELECT secs FROM stats_day_signoff WHERE ${key}`).pluck();
    this.#secsSet = db.prepare(`UPDATE stats_day_signoff SET secs = @secs WHERE ${key}`);
    this.#persons = db.prepare(`INSERT INTO stats_day_persons SELECT ${P_KEY}, @s FROM stats_participants
      WHERE group_id = @id AND g_started_at IS NOT NULL
      ON CONFLICT (day, unit_id, incident_type, person_id) DO UPDATE SET n = n + excluded.n`);
    this.#personsZero = db.prepare(`DELETE FROM stats_day_persons WHERE n = 0
      AND (day, unit_id, incident_type, person_id) IN
      (SELECT ${P_KEY.replace(/ AS \w+/g, '')} FROM stats_participants WHERE group_id = @id AND g_started_at IS NOT NULL)`);
  }

  /** Adds (sign 1) or takes out (sign -1) the contribution of a group whose per-group rows are present. */
  apply(groupId: string, sign: 1 | -1): void {
    const p = { id: groupId, s: sign };
    const secs = (this.#secRows.all(groupId) as SecRow[]).filter((r) => r.sec !== null);
    if (sign === -1) this.#editSecs(secs, -1);
    this.#groups.run(p);
    this.#sign.run(p);
    this.#persons.run(p);
    if (sign === 1) this.#editSecs(secs, 1);
    else {
      this.#groupsZero.run({ id: groupId });
      this.#signZero.run({ id: groupId });
      this.#personsZero.run({ id: groupId });
    }
  }

  #editSecs(rows: readonly SecRow[], sign: 1 | -1): void {
    for (const { sec, ...k } of rows) {
      const had = this.#secsGet.get(k) as string | null | undefined;
      if (had === undefined) continue;
      this.#secsSet.run({ ...k, secs: editSecs(had, sec!, sign) });
    }
  }

  /** Rebuilds every rollup from the per-group rows. */
  rebuild(): void {
    this.#db.transaction(() => {
      this.#db.exec(`DELETE FROM stats_day_groups; DELETE FROM stats_day_signoff; DELETE FROM stats_day_persons;`);
      const sums = G_VALUES.split(', ')
        .map((v) => `sum(${v})`)
        .join(', ');
      this.#db.exec(`INSERT INTO stats_day_groups SELECT ${G_COLS}, ${sums.replace('sum(1)', 'count(*)')}
        FROM stats_groups WHERE started_at IS NOT NULL GROUP BY 1, 2, 3, 4`);
      this.#db.exec(`INSERT INTO stats_day_signoff SELECT ${S_KEY}, count(*), group_concat(${SEC}, ',' ORDER BY ${SEC})
        ${S_FROM} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
      this.#db.exec(`INSERT INTO stats_day_persons SELECT ${P_KEY}, count(*) FROM stats_participants
        WHERE g_started_at IS NOT NULL GROUP BY 1, 2, 3, 4`);
    })();
  }
}
