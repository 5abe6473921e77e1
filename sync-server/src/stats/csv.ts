/** STATS-7: CSV of flat records (RFC 4180: comma-separated, CRLF, quoted when needed; formulas neutralised). */

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet: prefix it (numbers stay numbers).
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One header line (the keys of the first record) and one line per record. */
export function toCsv(rows: readonly object[]): string {
  if (rows.length === 0) return '\r\n';
  const keys = Object.keys(rows[0]!);
  const lines = [keys.map(cell).join(',')];
  for (const r of rows) lines.push(keys.map((k) => cell((r as Record<string, unknown>)[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}
