/**
 * AUDIT-4, AUDIT-5: every read is audited (group opens, photo downloads, group lists, directory reads, the case
 * file viewed and printed) and auditors read the log through `GET /api/audit` with filters and pages.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroup } from '@muster/core';
import type { AuditEntry, AuditListResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-audit-reads';
const OTHER = 'grp-audit-other';

describe('audit of reads', () => {
  let server: TestServer;
  let officer: LoginResponse;
  let auditor: LoginResponse;
  let photoHash = '';
  let groupsAt = 0;

  const bearer = (r: LoginResponse): Record<string, string> => ({ authorization: `Bearer ${r.token}` });
  const readAudit = async (who: LoginResponse, query: string): Promise<Response> =>
    fetch(`${server.url}/api/audit?${query}`, { headers: bearer(who) });
  const entries = async (query: string): Promise<AuditListResponse> => {
    const res = await readAudit(auditor, query);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as AuditListResponse;
  };
  const reportRead = (who: LoginResponse, groupId: string, act: string): Promise<Response> =>
    fetch(`${server.url}/api/audit/reads`, {
      method: 'POST',
      headers: { ...bearer(who), 'content-type': 'application/json' },
      body: JSON.stringify({ groupId, act }),
    });

  beforeAll(async () => {
    server = await startServer();
    officer = await login(server.url, 'demo015');
    auditor = await login(server.url, 'demo004');
    const other = await login(server.url, 'demo023');
    for (const [who, id] of [
      [officer, GROUP],
      [other, OTHER],
    ] as const) {
      const c = connectGroup(server.wsUrl, id, who.token);
      await waitFor(() => c.provider.synced, 20_000, 'synced');
      const actor = { personId: who.person.id, name: who.person.name };
      startGroup(c.doc, {
        id,
        kind: 'task',
        title: 'audit',
        unitId: who.person.unitId,
        initiator: actor,
        deviceTime: 1,
      });
      await waitFor(() => c.fullyAcked(), 20_000, 'acked');
      c.destroy();
    }
    const png = makePng(8, 8);
    photoHash = crypto.createHash('sha256').update(png).digest('hex');
    const put = await fetch(`${server.url}/api/photos/${photoHash}?group=${GROUP}`, {
      method: 'PUT',
      headers: { ...bearer(officer), 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect(put.status).toBe(201);
    await put.arrayBuffer();

    // The reads under test, by the officer.
    const got = await fetch(`${server.url}/api/photos/${photoHash}?group=${GROUP}`, { headers: bearer(officer) });
    expect(got.status).toBe(200);
    await got.arrayBuffer();
    groupsAt = Date.now();
    const groups = await fetch(`${server.url}/api/groups`, { headers: bearer(officer) });
    expect(groups.status).toBe(200);
    await groups.arrayBuffer();
    const dir = await fetch(`${server.url}/api/directory`, { headers: bearer(officer) });
    expect(dir.status).toBe(200);
    await dir.arrayBuffer();
    for (const act of ['record-view', 'record-print']) {
      const r = await reportRead(officer, GROUP, act);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('AUDIT-5: group opens, photo downloads, group lists, directory reads and case-file views and prints are audited', async () => {
    const mine = (await entries('person=demo015&limit=200')).entries;
    const actions = mine.map((e) => e.action);
    for (const a of ['group-open', 'photo-read', 'groups-listed', 'directory-read', 'record-view', 'record-print']) {
      expect(actions, a).toContain(a);
    }
    const photo = mine.find((e) => e.action === 'photo-read')!;
    expect(photo).toMatchObject({ docName: `group:${GROUP}`, detail: { hash: photoHash } });
    expect(mine.find((e) => e.action === 'record-print')).toMatchObject({ docName: `group:${GROUP}` });
    // A HEAD (the upload outbox asking whether a photo is there) is not a download.
    expect(actions.filter((a) => a === 'photo-read')).toHaveLength(1);
  });

  it('AUDIT-5: a case-file read of a group the person may not open is refused and audited as refused', async () => {
    const r = await reportRead(officer, OTHER, 'record-print');
    expect(r.status).toBe(403);
    await r.arrayBuffer();
    const refused = (await entries(`person=demo015&action=access-refused&group=${OTHER}`)).entries;
    expect(refused).toHaveLength(1);
    expect(refused[0]!.detail).toMatchObject({ what: 'record-print' });
    const bad = await reportRead(officer, GROUP, 'record-shred');
    expect(bad.status).toBe(400);
    await bad.arrayBuffer();
  });

  it('AUDIT-4: filters by person, group, action and time range, newest first', async () => {
    const byGroup = (await entries(`group=${GROUP}&limit=200`)).entries;
    expect(byGroup.length).toBeGreaterThan(0);
    expect(byGroup.every((e) => e.docName === `group:${GROUP}`)).toBe(true);
    expect(new Set(byGroup.map((e) => e.actor))).toContain('demo015');
    const seqs = byGroup.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const opens = (await entries('action=group-open&limit=200')).entries;
    expect(new Set(opens.map((e) => e.action))).toEqual(new Set(['group-open']));
    expect(new Set(opens.map((e) => e.docName))).toEqual(new Set([`group:${GROUP}`, `group:${OTHER}`]));

    const lists = (await entries(`action=groups-listed&from=${groupsAt}&to=${Date.now()}`)).entries;
    expect(lists.map((e) => e.actor)).toEqual(['demo015']);
    expect((await entries(`action=groups-listed&to=${groupsAt - 1}`)).entries).toEqual([]);
  });

  it('AUDIT-4: pages with limit and before, each row once, the chain columns included', async () => {
    const whole = (await entries('person=demo015&limit=200')).entries;
    const paged: AuditEntry[] = [];
    let before: number | null = null;
    do {
      const page: AuditListResponse = await entries(`person=demo015&limit=3${before ? `&before=${before}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      paged.push(...page.entries);
      before = page.nextBefore;
    } while (before !== null);
    expect(paged.map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
    expect(paged.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
  });

  it('AUDIT-4: only auditors read the log; a refusal is audited; bad filters get 400 naming the parameter', async () => {
    const admin = await login(server.url, 'demo003');
    for (const who of [officer, admin]) {
      const r = await readAudit(who, 'limit=5');
      expect(r.status).toBe(403);
      await r.arrayBuffer();
    }
    const anon = await fetch(`${server.url}/api/audit`);
    expect(anon.status).toBe(401);
    await anon.arrayBuffer();
    const refusals = (await entries('action=access-refused&person=demo003')).entries;
    expect(refusals[0]?.detail).toMatchObject({ what: 'audit-log' });
    for (const [q, name] of [
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['from=yesterday', 'from'],
      ['from=20&to=10', 'from'],
      ['group=../../etc', 'group'],
      ['sort=asc', 'sort'],
    ]) {
      const r = await readAudit(auditor, q!);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { message: string }).message, q).toContain(name!);
    }
  });

  it('AUDIT-4: the auditor’s own reads are audited with their filters', async () => {
    await entries('person=demo015&action=photo-read');
    const own = (await entries('person=demo004&action=audit-read&limit=1')).entries;
    expect(own[0]?.detail).toMatchObject({ filters: { person: 'demo015', action: 'photo-read' }, rows: 1 });
  });
});
