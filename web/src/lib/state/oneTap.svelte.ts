/** One tap (一键拉群): incident types with their templates, expanded against the cached directory, offline too. */
import { INCIDENT_TYPES, expandTemplate, templateFor } from '@muster/core';
import type { ExpandedTemplate, GroupTemplate, IncidentInfo, IncidentType, TemplateError } from '@muster/core';
import { createGroupFromTemplate } from '../db/groups.ts';
import { newId } from '../ids.ts';
import { refusal } from './groupCommands.ts';
import { serverClock } from '../sync/serverClock.ts';
import type { Directory } from './directory.svelte.ts';
import type { Session } from './session.svelte.ts';

export interface TemplateChoice {
  template: GroupTemplate;
  /** The incident type named by the template, when core knows it. */
  type: IncidentType | null;
}

export type Expansion = { ok: true; expansion: ExpandedTemplate } | { ok: false; errors: TemplateError[] };

export interface OneTapInput {
  templateId: string;
  title: string;
  incident: { number: string; address: string } | null;
}

export class OneTap {
  constructor(
    private readonly session: Session,
    private readonly directory: Directory,
  ) {}

  /** Templates in the order of core's incident types, then any others. */
  choices = $derived.by<TemplateChoice[]>(() => {
    const list = this.directory.templates;
    const known = INCIDENT_TYPES.flatMap((type) => {
      const template = templateFor(list, type.id);
      return template ? [{ template, type }] : [];
    });
    const used = new Set(known.map((c) => c.template.id));
    return [...known, ...list.filter((t) => !used.has(t.id)).map((template) => ({ template, type: null }))];
  });

  /** TPL-2: the posts a template invites for my unit, or why it cannot expand. */
  expand(templateId: string): Expansion | null {
    const template = this.directory.templates.find((t) => t.id === templateId);
    const person = this.session.person;
    if (!template || !person) return null;
    return expandTemplate(template, this.directory.core, person.unitId);
  }

  /** TPL-4: starts the group with every invitation in one step; returns its id. */
  async start(input: OneTapInput): Promise<{ ok: true; id: string } | { ok: false; code: string }> {
    const person = this.session.person;
    const template = this.directory.templates.find((t) => t.id === input.templateId);
    if (!person) return { ok: false, code: 'not-logged-in' };
    if (!template) return { ok: false, code: 'no-template' };
    const expanded = expandTemplate(template, this.directory.core, person.unitId);
    if (!expanded.ok) return { ok: false, code: 'template-expansion' };
    const type = INCIDENT_TYPES.find((t) => t.id === template.incidentType);
    const incident: IncidentInfo | null =
      template.kind === 'incident'
        ? {
            number: input.incident?.number.trim() ?? '',
            // I18N-4, POL-15: the type's id (shown by name in the language shown; the server's deadlines key on it)
            type: type?.id ?? template.incidentType,
            address: input.incident?.address.trim() ?? '',
            reportedAt: null,
          }
        : null;
    const deviceTime = Date.now();
    try {
      const meta = await createGroupFromTemplate(
        {
          group: {
            id: newId(),
            kind: template.kind,
            title: input.title.trim() || template.name,
            incident,
            unitId: person.unitId,
            initiator: { personId: person.id, name: person.name },
            deviceTime,
          },
          expansion: expanded.expansion,
          invitationIds: expanded.expansion.posts.map(() => newId()),
        },
        serverClock.now(),
      );
      return { ok: true, id: meta.id };
    } catch (e) {
      return refusal(e);
    }
  }
}
