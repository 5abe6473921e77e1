/**
 * STATS-5 in SQL (SQLite and PostgreSQL): the time within [@from, @end) during which at least one person was on duty,
 * summed over the posts @posts, computed where the intervals are (one row back, not every interval): each interval,
 * in order of its start, adds what reaches past the furthest end before it. Equal to figuresMath.ts coveredMs.
 */
export function coveredSql(dialect: 'sqlite' | 'pg'): string {
  const hi = dialect === 'sqlite' ? 'max' : 'greatest';
  const lo = dialect === 'sqlite' ? 'min' : 'least';
  const posts = dialect === 'sqlite' ? 'post_id IN (SELECT value FROM json_each(@posts))' : 'post_id = ANY(@posts)';
  return `SELECT coalesce(sum(CASE WHEN prev IS NULL OR a >= prev THEN b - a WHEN b > prev THEN b - prev ELSE 0 END), 0)
    AS covered
  FROM (SELECT a, b, max(b) OVER (PARTITION BY post_id ORDER BY a, b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
      AS prev
    FROM (SELECT post_id, ${hi}(start_at, @from) AS a, ${lo}(coalesce(end_at, @end), @end) AS b FROM stats_duty
      WHERE ${posts} AND start_at < @end AND (end_at IS NULL OR end_at > @from)) iv
    WHERE b > a) w`;
}
