/**
 * DIR-6: the directory by need. Everyone sees every unit and post (what they can invite or send a clue to) and the
 * persons of their own unit; the persons, police numbers and duty rosters of other units only desks, leaders and
 * read-only roles of the police's own units see. Each read is audited (AUDIT-5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, DirectoryResponse } from '@muster/protocol';
import { login } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

describe('directory by need', () => {
  let server: TestServer;
  let all: DirectoryResponse;
  const read = async (policeNo: string): Promise<DirectoryResponse> => {
    const { token } = await login(server.url, policeNo);
    const res = await fetch(`${server.url}/api/directory`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as DirectoryResponse;
  };

  beforeAll(async () => {
    server = await startServer();
    all = await read('demo004'); // the auditor: the whole directory
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('DIR-6: a patrol officer sees every unit and post, and the persons and duty rows of their own unit only', async () => {
    const mine = await read('demo016'); // patrol officer of 东湖派出所 (st-e1), no desk
    expect(mine.scope).toBe('own-unit');
    expect(mine.units).toEqual(all.units);
    expect(mine.posts).toEqual(all.posts);
    expect(mine.persons.length).toBeGreaterThan(1);
    expect(new Set(mine.persons.map((p) => p.unitId))).toEqual(new Set(['st-e1']));
    expect(mine.persons.map((p) => p.id)).toContain('demo016');
    const unitOf = new Map(all.posts.map((p) => [p.id, p.unitId]));
    expect(mine.onDuty.every((d) => unitOf.get(d.postId) === 'st-e1')).toBe(true);
    expect(mine.onDuty.map((d) => d.personId)).toContain('demo015');
    // Nothing of other units' rosters: no police number of the sub-bureau's leader, no airport duty row.
    expect(JSON.stringify(mine)).not.toContain('demo007');
    expect(mine.onDuty.some((d) => d.postId === 'p-out-airport')).toBe(false);
  });

  it('DIR-6: an outside unit’s clerk (airport police desk) sees units and posts and their own unit only', async () => {
    const airport = await read('demo047');
    expect(airport.scope).toBe('own-unit');
    expect(airport.posts).toEqual(all.posts);
    expect(airport.persons.map((p) => p.id)).toEqual(['demo047']);
    expect(airport.onDuty.map((d) => d.postId)).toEqual(['p-out-airport']);
  });

  it('DIR-6: desks and leaders of the police see the whole roster with police numbers and who is on duty', async () => {
    for (const policeNo of ['demo005', 'demo007']) {
      const wide = await read(policeNo);
      expect(wide.scope, policeNo).toBe('all');
      expect(wide.persons, policeNo).toEqual(all.persons);
      expect(wide.onDuty, policeNo).toEqual(all.onDuty);
    }
    expect(all.persons.length).toBe(49);
  });

  it('DIR-6, AUDIT-5: each directory read is audited with its scope', async () => {
    const { token } = await login(server.url, 'demo004');
    const res = await fetch(`${server.url}/api/audit?action=directory-read&person=demo047`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as AuditListResponse;
    expect(page.entries.map((e) => e.detail)).toEqual([{ scope: 'own-unit', persons: 1 }]);
  });
});
