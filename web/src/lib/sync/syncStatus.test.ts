import { describe, expect, it } from 'vitest';
import { globalLink, groupLink, groupSyncState, liveSyncState } from './syncStatus.ts';

describe('group sync state (from acks, not sockets)', () => {
  it('is saved when the relay acknowledged everything, whatever the link', () => {
    expect(groupSyncState(0, 5000, 'offline')).toEqual({ kind: 'saved', pending: 0, ackedAt: 5000 });
    expect(groupSyncState(0, null, 'online').kind).toBe('saved');
  });

  it('LATE-1 SYNC-5: never "saved" while the relay refused records the device holds', () => {
    expect(groupSyncState(0, 5000, 'online', 2)).toEqual({ kind: 'refused', pending: 0, ackedAt: 5000, refused: 2 });
    expect(groupSyncState(1, 5000, 'online', 2).kind).toBe('sending');
    expect(groupSyncState(0, 5000, 'online', 0).kind).toBe('saved');
  });

  it('is sending N changes while pending and a link is up or coming', () => {
    expect(groupSyncState(3, 5000, 'online')).toEqual({ kind: 'sending', pending: 3, ackedAt: 5000 });
    expect(groupSyncState(1, null, 'connecting').kind).toBe('sending');
  });

  it('SYNC-6: pending changes the relay left unacknowledged are "unsaved" while a link seems up, offline stays offline', () => {
    expect(groupSyncState(2, 5000, 'online', 0, true)).toEqual({ kind: 'unsaved', pending: 2, ackedAt: 5000 });
    expect(groupSyncState(2, null, 'connecting', 0, true).kind).toBe('unsaved');
    expect(groupSyncState(2, 5000, 'offline', 0, true).kind).toBe('offline');
    expect(groupSyncState(0, 5000, 'online', 0, true).kind).toBe('saved');
  });

  it('is offline while pending with no link', () => {
    expect(groupSyncState(2, null, 'offline')).toEqual({ kind: 'offline', pending: 2, ackedAt: null });
  });

  it('a group link follows its socket, else the global link', () => {
    expect(groupLink('connected', 'online')).toBe('online');
    expect(groupLink('connected', 'offline')).toBe('offline');
    expect(groupLink('closed', 'online')).toBe('offline');
    expect(groupLink(null, 'online')).toBe('connecting');
    expect(groupLink('disconnected', 'offline')).toBe('offline');
    expect(groupLink('disconnected', 'online')).toBe('connecting');
  });
});

describe('global connection indicator', () => {
  it('is offline when the browser says so', () => {
    expect(globalLink({ browserOnline: false, sockets: ['connected'], apiReachable: true })).toBe('offline');
  });
  it('is online with a connected socket or a reachable API', () => {
    expect(globalLink({ browserOnline: true, sockets: ['connecting', 'connected'], apiReachable: false })).toBe(
      'online',
    );
    expect(globalLink({ browserOnline: true, sockets: [], apiReachable: true })).toBe('online');
  });
  it('is connecting before anything answered, offline when the server is unreachable', () => {
    expect(globalLink({ browserOnline: true, sockets: ['connecting'], apiReachable: false })).toBe('connecting');
    expect(globalLink({ browserOnline: true, sockets: [], apiReachable: null })).toBe('connecting');
    expect(globalLink({ browserOnline: true, sockets: ['disconnected'], apiReachable: false })).toBe('offline');
  });
});

describe('liveSyncState (list row and open group alike)', () => {
  it('SYNC-6: a live connection brings its socket, refusals and stall; without one, the global link decides', () => {
    expect(liveSyncState(2, 10, null, 'online').kind).toBe('sending');
    expect(liveSyncState(2, 10, null, 'offline').kind).toBe('offline');
    expect(liveSyncState(2, 10, { status: 'closed' }, 'online').kind).toBe('offline');
    expect(liveSyncState(2, 10, { status: 'connected', stalled: true }, 'online')).toEqual({
      kind: 'unsaved',
      pending: 2,
      ackedAt: 10,
    });
    expect(liveSyncState(0, 10, { status: 'connected', refused: 1 }, 'online').kind).toBe('refused');
    // offline wins over a stall: the changes wait on the device, the relay is not to blame
    expect(liveSyncState(2, 10, { status: 'connected', stalled: true }, 'offline').kind).toBe('offline');
  });
});
