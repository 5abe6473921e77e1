/** Deadline rules. Time is always passed in; trusted times are the server's stamps. */
import type * as Y from 'yjs';
import type { Directory } from './directory.ts';
import { META_KEY, Root, rootMap } from './schema.ts';
import type { PostKind } from './schema.ts';
import { parseMeta } from './validate.ts';

/** SLA-1: management posts sign within 10 minutes, support and leader posts within 30 minutes by default. */
export const DEFAULT_DEADLINE_MINUTES: Record<PostKind, number> = { management: 10, support: 30, leader: 30 };

export const MINUTE = 60_000;

/** SLA-3: an invitation's deadline runs from the server's time of the invitation. */
export function deadlineOf(registeredAt: number, deadlineMinutes: number): number {
  return registeredAt + deadlineMinutes * MINUTE;
}

/** SLA-2: a sign-off is on time when its server stamp is within the deadline (inclusive). */
export function isOnTime(signedAt: number, deadline: number): boolean {
  return signedAt <= deadline;
}

export interface DeadlinePolicy {
  /** Minutes to sign, by post kind. */
  signOffMinutes: Record<PostKind, number>;
  /** Minutes from the group's server time to its closure deadline. */
  closureMinutes: number;
  /** Per incident type, set by an admin (templates): overrides of the above. */
  byIncidentType: Record<string, { signOffMinutes?: Partial<Record<PostKind, number>>; closureMinutes?: number }>;
}

/** SLA-1 / CLOSE-4: management posts 10 minutes, support and leader posts 30 minutes, closure 24 hours. */
export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  signOffMinutes: { management: 10, support: 30, leader: 30 },
  closureMinutes: 24 * 60,
  byIncidentType: {},
};

/** POL-15: minutes a post of `kind` has to sign in a group of `incidentType` (null: a task group). */
export function signOffMinutes(policy: DeadlinePolicy, incidentType: string | null, kind: PostKind): number {
  const own = incidentType === null ? undefined : policy.byIncidentType[incidentType]?.signOffMinutes?.[kind];
  return own ?? policy.signOffMinutes[kind];
}

/** POL-15: minutes from a group's server time to its closure deadline. */
export function closureMinutes(policy: DeadlinePolicy, incidentType: string | null): number {
  const own = incidentType === null ? undefined : policy.byIncidentType[incidentType]?.closureMinutes;
  return own ?? policy.closureMinutes;
}

/**
 * POL-15: the deadline policy an admin configures through the group templates: per incident type, the closure
 * deadline of its template and, per post kind, the shortest sign-off deadline its posts ask for.
 */
export function deadlinePolicyFromTemplates(
  templates: readonly {
    incidentType: string;
    closureDeadlineMinutes?: number;
    posts: readonly { deadlineMinutes?: number; postKind?: PostKind; postId?: string }[];
  }[],
  dir?: Directory,
  base: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlinePolicy {
  const byIncidentType: DeadlinePolicy['byIncidentType'] = {};
  for (const t of templates) {
    const own = (byIncidentType[t.incidentType] ??= {});
    if (t.closureDeadlineMinutes !== undefined) own.closureMinutes = t.closureDeadlineMinutes;
    for (const p of t.posts) {
      const kind = p.postKind ?? (p.postId ? dir?.post(p.postId)?.kind : undefined);
      if (p.deadlineMinutes === undefined || kind === undefined) continue;
      const mins = (own.signOffMinutes ??= {});
      mins[kind] = Math.min(mins[kind] ?? Infinity, p.deadlineMinutes);
    }
  }
  return { ...base, byIncidentType };
}

/** POL-15: the incident type a group's deadlines follow (null for a task group). */
export function incidentTypeOf(doc: Y.Doc): string | null {
  return parseMeta(rootMap(doc, Root.meta).get(META_KEY))?.incident?.type ?? null;
}
