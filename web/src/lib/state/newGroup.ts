/** Starting a group on the device (works offline): the form's input becomes the group record. */
import type { GroupKind, IncidentInfo } from '@muster/core';
import type { Person } from '@muster/protocol';
import { createGroup } from '../db/groups.ts';
import { newId } from '../ids.ts';
import { serverClock } from '../sync/serverClock.ts';
import { refusal } from './groupCommands.ts';

export interface NewGroupInput {
  kind: GroupKind;
  title: string;
  incident: { number: string; type: string; address: string } | null;
}

/** Starts the group and returns its id, or the command's refusal. */
export async function startGroup(
  person: Person | null,
  input: NewGroupInput,
): Promise<{ ok: true; id: string } | { ok: false; code: string }> {
  if (!person) return { ok: false, code: 'not-logged-in' };
  const incident: IncidentInfo | null =
    input.kind === 'incident' && input.incident
      ? {
          number: input.incident.number.trim(),
          type: input.incident.type.trim(),
          address: input.incident.address.trim(),
          reportedAt: null,
        }
      : null;
  try {
    const meta = await createGroup(
      {
        id: newId(),
        kind: input.kind,
        title: input.title,
        incident,
        unitId: person.unitId,
        initiator: { personId: person.id, name: person.name },
        deviceTime: Date.now(),
      },
      serverClock.now(),
    );
    return { ok: true, id: meta.id };
  } catch (e) {
    return refusal(e);
  }
}
