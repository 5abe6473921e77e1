import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { invitationViews, invitePost, signOff } from './invitations.ts';
import { MINUTE } from './sla.ts';
import { stampRecords } from './stamps.ts';
import { managementPost, officerA, officerB, supportPost } from './testing.ts';

const T0 = 1_700_000_000_000;

function setup() {
  const doc = new Y.Doc();
  invitePost(doc, { id: 'inv-m', post: managementPost, invitedBy: officerA, deviceTime: T0 });
  invitePost(doc, { id: 'inv-s', post: supportPost, invitedBy: officerA, deviceTime: T0 });
  return doc;
}

const statusOf = (doc: Y.Doc, now: number) =>
  Object.fromEntries(invitationViews(doc, now).map((v) => [v.invitation.id, v.status]));

describe('invitations and sign-off', () => {
  it('SLA-1: default deadlines are 10 minutes for management and 30 for support posts', () => {
    const doc = setup();
    const views = invitationViews(doc, T0);
    expect(views.find((v) => v.invitation.id === 'inv-m')?.deadlineMinutes).toBe(10);
    expect(views.find((v) => v.invitation.id === 'inv-s')?.deadlineMinutes).toBe(30);
  });

  it('SLA-3: an invitation is pending until the server registers it; the deadline runs from the server time', () => {
    const doc = setup();
    expect(statusOf(doc, T0 + 60 * MINUTE)).toEqual({ 'inv-m': 'pending', 'inv-s': 'pending' });
    const registered = T0 + 5 * MINUTE; // the device was offline for 5 minutes
    stampRecords(
      doc,
      [
        { collection: 'invitations', id: 'inv-m' },
        { collection: 'invitations', id: 'inv-s' },
      ],
      registered,
      'srv',
    );
    const m = invitationViews(doc, registered).find((v) => v.invitation.id === 'inv-m');
    expect(m?.deadline).toBe(registered + 10 * MINUTE);
    expect(m?.remainingMs).toBe(10 * MINUTE);
    expect(statusOf(doc, registered + 10 * MINUTE)['inv-m']).toBe('waiting');
    expect(statusOf(doc, registered + 10 * MINUTE + 1)).toEqual({ 'inv-m': 'overdue', 'inv-s': 'waiting' });
  });

  it('SLA-2: a sign-off is on time when its server stamp is within the deadline, whatever the device clock says', () => {
    const doc = setup();
    stampRecords(doc, [{ collection: 'invitations', id: 'inv-m' }], T0, 'srv');
    stampRecords(doc, [{ collection: 'invitations', id: 'inv-s' }], T0, 'srv');
    // Device clocks claim early sign-offs; only the server stamps count.
    signOff(doc, { id: 's-m', invitationId: 'inv-m', by: officerB, deviceTime: T0 + 1 });
    signOff(doc, { id: 's-s', invitationId: 'inv-s', by: officerB, deviceTime: T0 + 1 });
    expect(statusOf(doc, T0 + 2)['inv-m']).toBe('signed-unconfirmed');
    stampRecords(doc, [{ collection: 'signoffs', id: 's-m' }], T0 + 10 * MINUTE, 'srv');
    stampRecords(doc, [{ collection: 'signoffs', id: 's-s' }], T0 + 30 * MINUTE + 1, 'srv');
    const views = invitationViews(doc, T0 + 40 * MINUTE);
    expect(Object.fromEntries(views.map((v) => [v.invitation.id, v.status]))).toEqual({
      'inv-m': 'signed-on-time',
      'inv-s': 'signed-late',
    });
    expect(views.find((v) => v.invitation.id === 'inv-m')?.signOff?.deviceTime).toBe(T0 + 1);
  });

  it('SIGN-2: of several sign-offs the earliest server stamp counts', () => {
    const doc = setup();
    stampRecords(doc, [{ collection: 'invitations', id: 'inv-s' }], T0, 'srv');
    signOff(doc, { id: 'late', invitationId: 'inv-s', by: officerA, deviceTime: T0 + 100 });
    signOff(doc, { id: 'early', invitationId: 'inv-s', by: officerB, deviceTime: T0 + 999 });
    stampRecords(doc, [{ collection: 'signoffs', id: 'early' }], T0 + MINUTE, 'srv');
    stampRecords(doc, [{ collection: 'signoffs', id: 'late' }], T0 + 31 * MINUTE, 'srv');
    const v = invitationViews(doc, T0 + 40 * MINUTE).find((x) => x.invitation.id === 'inv-s');
    expect(v?.signOff?.id).toBe('early');
    expect(v?.status).toBe('signed-on-time');
  });

  it('INV-1: the same post is not invited twice; signing needs an existing invitation', () => {
    const doc = setup();
    expect(() => invitePost(doc, { id: 'again', post: managementPost, invitedBy: officerA, deviceTime: 1 })).toThrow(
      /already/,
    );
    expect(() => signOff(doc, { id: 's', invitationId: 'nope', by: officerA, deviceTime: 1 })).toThrow(/invitation/);
  });
});
