/** The rows of one projected group in every StatsStore's per-group tables (column names as in the tables). */
import type { ProjectedGroup } from './statsStore.ts';

export function groupRow(g: ProjectedGroup) {
  const f = g.facts;
  return {
    group_id: f.groupId,
    kind: f.kind,
    incident_type: f.incidentType,
    unit_id: f.unitId,
    sub_bureau_id: g.subBureauId,
    template_id: f.templateId,
    started_at: f.startedAt,
    closed_at: f.closedAt,
    closure_deadline: f.closureDeadline,
    timely: f.timely === null ? null : f.timely ? 1 : 0,
    participants: f.participants.length,
    invitations: f.invitations.length,
    escalations: f.escalations,
    late: f.invitations.filter((i) => i.verdict === 'late').length,
    on_time: f.invitations.filter((i) => i.verdict === 'on-time').length,
    attested: f.invitations.filter((i) => i.basis === 'attested').length,
    source_updated_at: g.sourceUpdatedAt,
    origin: g.origin,
  };
}

export function invitationRows(g: ProjectedGroup) {
  const f = g.facts;
  return f.invitations.map((i) => ({
    group_id: f.groupId,
    invitation_id: i.invitationId,
    post_id: i.postId,
    post_kind: i.postKind,
    post_unit_id: i.postUnitId,
    required: i.required ? 1 : 0,
    registered_at: i.registeredAt,
    deadline: i.deadline,
    signed_at: i.signedAt,
    signed_by: i.signedBy,
    verdict: i.verdict,
    basis: i.basis,
    escalated: i.escalated ? 1 : 0,
    g_started_at: f.startedAt,
    g_unit_id: f.unitId,
    g_incident_type: f.incidentType,
  }));
}

export function participantRows(g: ProjectedGroup) {
  const f = g.facts;
  return f.participants.map((person) => ({
    group_id: f.groupId,
    person_id: person,
    g_started_at: f.startedAt,
    g_unit_id: f.unitId,
    g_incident_type: f.incidentType,
  }));
}
