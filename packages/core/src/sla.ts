/** Deadline rules. Time is always passed in; trusted times are the server's stamps. */
import type { PostKind } from './schema.ts';

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
