/** The timeline on screen: entries in derived order with the server's overdue events placed by their time. Pure. */
import type { OverdueEvent, TimelineItem } from '@muster/core';

export type TimelineRow =
  { kind: 'entry'; key: string; item: TimelineItem } | { kind: 'event'; key: string; event: OverdueEvent };

export function timelineRows(items: readonly TimelineItem[], events: readonly OverdueEvent[]): TimelineRow[] {
  const out: TimelineRow[] = [];
  const queue = [...events].sort((a, b) => a.at - b.at);
  for (const item of items) {
    const t = item.doneAt; // ATT-4: when it was done
    while (queue.length && queue[0]!.at < t) {
      const event = queue.shift()!;
      out.push({ kind: 'event', key: `event:${event.id}`, event });
    }
    out.push({ kind: 'entry', key: item.id, item });
  }
  for (const event of queue) out.push({ kind: 'event', key: `event:${event.id}`, event });
  return out;
}
