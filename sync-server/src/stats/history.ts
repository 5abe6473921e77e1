/**
 * A fictional history at the report's scale (about 700 collaborations a day over six months, about three persons
 * a group, management posts signing within 10 minutes and support posts within 30 with a few late and escalated,
 * 99.6% closed in time), generated as projection rows from the demo city's templates, seeded so runs repeat.
 * Persons are fictional ids (`h-<unit|post>-<n>`); nothing here is a real record.
 */
import type { Directory, ExpandedPost, GroupTemplate, InvitationFact, StatsFacts } from '@muster/core';
import { MINUTE, expandTemplate, seededRandom } from '@muster/core';
import type { DutyInterval, ProjectedGroup } from './statsStore.ts';

export interface HistoryOptions {
  groups: number;
  days: number;
  /** Server time the history ends at (exclusive). */
  end: number;
  seed: number;
}

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHIFT = 8 * HOUR;

/** Share of groups per incident type (`task`: a plain task group inviting the management desk only). */
const MIX: [string, number][] = [
  ['task', 0.45],
  ['traffic', 0.25],
  ['theft', 0.15],
  ['public-service', 0.08],
  ['fraud', 0.04],
  ['assault', 0.02],
  ['missing-person', 0.01],
];

/** Busier by day than by night (weights per hour of the day, UTC+8). */
const HOURS = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 8, 8, 8, 8, 8, 7, 6, 5, 4, 3];

interface Plan {
  unitId: string;
  subBureauId: string | null;
  template: GroupTemplate | null;
  posts: ExpandedPost[];
}

export interface History {
  groups: Generator<ProjectedGroup>;
  duty: DutyInterval[];
}

export function generateHistory(dir: Directory, templates: readonly GroupTemplate[], o: HistoryOptions): History {
  const random = seededRandom(o.seed);
  const normal = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const logNormal = (median: number, sigma: number): number => median * Math.exp(sigma * normal());
  const start = o.end - o.days * DAY;
  const initiatingUnits = dir.data.units.filter((u) => u.kind === 'station' || u.kind === 'kiosk');
  const plans = new Map<string, Plan[]>();
  for (const [type] of MIX) {
    const list: Plan[] = [];
    for (const u of initiatingUnits) {
      const sb = dir.subBureauOf(u.id);
      if (type === 'task') {
        const mgmt = sb ? dir.postsOf(sb.id, 'management')[0] : undefined;
        const ref = mgmt ? dir.postRef(mgmt.id) : null;
        if (ref)
          list.push({
            unitId: u.id,
            subBureauId: sb!.id,
            template: null,
            posts: [{ post: ref, deadlineMinutes: 10 } as ExpandedPost],
          });
        continue;
      }
      const tpl = templates.find((t) => t.incidentType === type);
      const exp = tpl ? expandTemplate(tpl, dir, u.id) : null;
      if (tpl && exp?.ok)
        list.push({ unitId: u.id, subBureauId: sb?.id ?? null, template: tpl, posts: exp.expansion.posts });
    }
    if (list.length) plans.set(type, list);
  }
  const mix = MIX.filter(([t]) => plans.has(t));
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const hourTotal = HOURS.reduce((s, w) => s + w, 0);
  const pickType = (): string => {
    let r = random() * total;
    for (const [t, w] of mix) if ((r -= w) < 0) return t;
    return mix[0]![0];
  };
  const pickHour = (): number => {
    let r = random() * hourTotal;
    for (let h = 0; h < 24; h++) if ((r -= HOURS[h]!) < 0) return h;
    return 12;
  };
  // The person on duty at a post in a shift: six fictional officers rotate through the shifts.
  const onDutyAt = (postId: string, at: number): string => `h-${postId}-${Math.floor(at / SHIFT) % 6}`;

  const required = new Set<string>();
  for (const list of plans.values())
    for (const p of list) if (p.template) for (const e of p.posts) required.add(e.post.id);
  const duty: DutyInterval[] = [];
  for (const postId of [...required].sort()) {
    for (let t = Math.floor(start / SHIFT) * SHIFT; t < o.end; t += SHIFT) {
      // Now and then the next officer comes on a few minutes after the last went off.
      const gap = random() < 0.01 ? Math.floor(random() * 15 * MINUTE) : 0;
      duty.push({ postId, personId: onDutyAt(postId, t), startAt: t + gap, endAt: t + SHIFT });
    }
  }

  function* groups(): Generator<ProjectedGroup> {
    for (let n = 0; n < o.groups; n++) {
      const type = pickType();
      const list = plans.get(type)!;
      const plan = list[Math.floor(random() * list.length)]!;
      const day = Math.floor(random() * o.days);
      const startedAt = Math.min(
        o.end - 1,
        start + day * DAY + ((pickHour() + 16) % 24) * HOUR + Math.floor(random() * HOUR),
      );
      const initiator = `h-${plan.unitId}-${Math.floor(random() * 12)}`;
      const participants = new Set([initiator]);
      const invitations: InvitationFact[] = plan.posts.map((e, k) => {
        const kind = e.post.kind;
        const delay = Math.round(kind === 'management' ? logNormal(150_000, 0.55) : logNormal(420_000, 0.6));
        const deadline = startedAt + e.deadlineMinutes * MINUTE;
        const signedAt = startedAt + delay;
        const signed = signedAt < o.end;
        const by = signed ? onDutyAt(e.post.id, signedAt) : null;
        if (by) participants.add(by);
        return {
          invitationId: `i${k}`,
          postId: e.post.id,
          postKind: kind,
          postUnitId: e.post.unitId,
          required: plan.template !== null,
          registeredAt: startedAt,
          deadline,
          signedAt: signed ? signedAt : null,
          signedBy: by,
          verdict: !signed ? 'unsigned' : signedAt <= deadline ? 'on-time' : 'late',
          basis: 'stamp',
          escalated: (signed && signedAt > deadline) || (!signed && o.end > deadline),
        };
      });
      const deadlineMinutes = plan.template?.closureDeadlineMinutes ?? 24 * 60;
      const closureDeadline = startedAt + deadlineMinutes * MINUTE;
      const closeAt = startedAt + Math.round(logNormal(Math.min(2.5 * HOUR, deadlineMinutes * MINUTE * 0.1), 0.85));
      const closed = closeAt < o.end;
      const facts: StatsFacts = {
        groupId: `hist-${o.seed}-${n}`,
        kind: plan.template?.kind ?? 'task',
        incidentType: type === 'task' ? null : type,
        unitId: plan.unitId,
        templateId: plan.template?.id ?? null,
        startedAt,
        closedAt: closed ? closeAt : null,
        closureDeadline,
        timely: closed ? closeAt <= closureDeadline : null,
        participants: [...participants].sort(),
        invitations,
        escalations: invitations.filter((i) => i.escalated).length,
      };
      yield { facts, subBureauId: plan.subBureauId, sourceUpdatedAt: 0, origin: 'history' };
    }
  }
  return { groups: groups(), duty };
}
