/**
 * An independent computation of the dashboard figures straight from the facts (no SQL, no rollups), which every
 * StatsStore is checked against (statsStoreContract.ts, STATS-3..STATS-5, STATS-10).
 */
import { SignOffTally, coveredMs } from './figuresMath.ts';
import type { VerdictRow } from './figuresMath.ts';
import type {
  DutyInterval,
  Figures,
  ProjectedGroup,
  RankRow,
  StatsQuery,
  TrendBucket,
  TrendPoint,
} from './statsStore.ts';
import type { InvitationFact } from '@muster/core';

const DAY = 86_400_000;

function inRange(g: ProjectedGroup, q: StatsQuery): boolean {
  const f = g.facts;
  return (
    f.startedAt !== null &&
    f.startedAt >= q.from &&
    f.startedAt < q.to &&
    (q.unitIds === null || q.unitIds.includes(f.unitId)) &&
    (!q.incidentType || f.incidentType === q.incidentType)
  );
}

const postOk = (i: InvitationFact, q: StatsQuery): boolean =>
  (!q.postKind || i.postKind === q.postKind) && (!q.postId || i.postId === q.postId);
const overdue = (i: InvitationFact, q: StatsQuery): boolean =>
  i.verdict === 'unsigned' && i.deadline !== null && i.deadline < q.now;

function verdictRow(i: InvitationFact, q: StatsQuery): VerdictRow {
  const judged = i.verdict === 'on-time' || i.verdict === 'late';
  return {
    post_id: i.postId,
    post_kind: i.postKind,
    verdict: i.verdict,
    basis: i.basis,
    sec: judged && i.signedAt !== null ? Math.trunc((i.signedAt - i.registeredAt!) / 1000) : null,
    overdue: overdue(i, q) ? 1 : 0,
    n: 1,
  };
}

export function referenceFigures(
  all: readonly ProjectedGroup[],
  duty: readonly DutyInterval[],
  q: StatsQuery,
): Figures {
  const gs = all.filter((g) => inRange(g, q)).map((g) => g.facts);
  const closed = gs.filter((g) => g.closedAt !== null).length;
  const closedTimely = gs.filter((g) => g.timely === true).length;
  const tally = new SignOffTally();
  const kinds = new Map<string, SignOffTally>();
  const posts = new Map<string, { kind: string; t: SignOffTally }>();
  const required = new Set<string>();
  for (const g of gs) {
    for (const i of g.invitations) {
      if (!postOk(i, q)) continue;
      if (i.required) required.add(i.postId);
      if (i.registeredAt === null) continue;
      const r = verdictRow(i, q);
      tally.add(r);
      if (!kinds.has(i.postKind)) kinds.set(i.postKind, new SignOffTally());
      kinds.get(i.postKind)!.add(r);
      if (!posts.has(i.postId)) posts.set(i.postId, { kind: i.postKind, t: new SignOffTally() });
      posts.get(i.postId)!.t.add(r);
    }
  }
  const end = Math.min(q.to, q.now);
  let onDuty: Figures['onDuty'] = { requiredPosts: required.size, rate: null, coveredMs: 0, totalMs: 0 };
  if (required.size && end > q.from) {
    let covered = 0;
    for (const p of required)
      covered += coveredMs(
        duty.filter((d) => d.postId === p),
        q.from,
        end,
      );
    const total = required.size * (end - q.from);
    onDuty = { requiredPosts: required.size, rate: covered / total, coveredMs: covered, totalMs: total };
  }
  return {
    started: gs.length,
    closed,
    closedTimely,
    timelyRate: closed === 0 ? null : closedTimely / closed,
    escalations: gs.reduce((s, g) => s + g.escalations, 0),
    groupsEscalated: gs.filter((g) => g.escalations > 0).length,
    participantTimes: gs.reduce((s, g) => s + g.participants.length, 0),
    distinctParticipants: new Set(gs.flatMap((g) => g.participants)).size,
    signOff: tally.figures(),
    byKind: [...kinds].sort().map(([k, t]) => ({ postKind: k as InvitationFact['postKind'], ...t.figures() })),
    byPost: [...posts]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([id, x]) => ({ postId: id, postKind: x.kind as InvitationFact['postKind'], ...x.t.figures() })),
    onDuty,
  };
}

type Row = Omit<TrendPoint, 'at'>;

function grouped(all: readonly ProjectedGroup[], q: StatsQuery, key: (g: ProjectedGroup) => string | number | null) {
  const out = new Map<string | number, Row>();
  const post = Boolean(q.postKind || q.postId);
  for (const g of all) {
    if (!inRange(g, q)) continue;
    const k = key(g);
    if (k === null) continue;
    const f = g.facts;
    const r = out.get(k) ?? {
      started: 0,
      closed: 0,
      closedTimely: 0,
      escalations: 0,
      participantTimes: 0,
      onTime: 0,
      judged: 0,
    };
    r.started++;
    if (f.closedAt !== null) r.closed++;
    if (f.timely === true) r.closedTimely++;
    r.escalations += f.escalations;
    r.participantTimes += f.participants.length;
    for (const i of f.invitations) {
      if (post && (!postOk(i, q) || i.registeredAt === null)) continue;
      if (i.verdict === 'on-time') r.onTime++;
      if (i.verdict === 'on-time' || i.verdict === 'late') r.judged++;
      else if (overdue(i, q) && i.registeredAt !== null) r.judged++;
    }
    out.set(k, r);
  }
  return out;
}

export function referenceTrend(all: readonly ProjectedGroup[], q: StatsQuery, bucket: TrendBucket, tz: number) {
  const size = bucket === 'day' ? DAY : 7 * DAY;
  const shift = tz * 60_000 + (bucket === 'week' ? 3 * DAY : 0);
  const m = grouped(all, q, (g) => Math.floor((g.facts.startedAt! + shift) / size) * size - shift);
  return [...m].map(([at, r]) => ({ at: Number(at), ...r })).sort((a, b) => a.at - b.at);
}

export function referenceRanking(all: readonly ProjectedGroup[], q: StatsQuery, by: 'unit' | 'subBureau'): RankRow[] {
  const m = grouped(all, q, (g) => (by === 'unit' ? g.facts.unitId : g.subBureauId));
  return [...m].map(([id, r]) => ({ id: String(id), ...r })).sort((a, b) => (a.id < b.id ? -1 : 1));
}
