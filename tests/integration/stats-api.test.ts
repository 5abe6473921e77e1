/**
 * STATS-3/STATS-6/STATS-7 over HTTP against the real relay: figures of a group started by one tap and signed over
 * real sockets, who may read which units, drill-down, CSV export, and the audit row of every read.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Directory, expandTemplate, parseTemplates, signOff, startGroupFromTemplate } from '@muster/core';
import type { DirectoryData } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const G = 'stats-api-theft';

describe('statistics API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ manualClock: true });
    await server.moveClock({ set: T0 });
    const front = await login(server.url, 'demo015');
    const auth = { headers: { authorization: `Bearer ${front.token}` } };
    const dir = new Directory((await (await fetch(`${server.url}/api/directory`, auth)).json()) as DirectoryData);
    const parsed = parseTemplates(await (await fetch(`${server.url}/api/templates`, auth)).json());
    if (!parsed.ok) throw new Error('templates');
    const exp = expandTemplate(
      parsed.templates.find((t) => t.incidentType === 'theft')!,
      dir,
      'st-e1',
    );
    if (!exp.ok) throw new Error('expansion');
    const doc = new Y.Doc();
    startGroupFromTemplate(doc, {
      group: {
        id: G,
        kind: 'incident',
        title: 'fictional theft',
        incident: { number: 'JQ-1', type: 'theft', address: 'fictional', reportedAt: null },
        unitId: 'st-e1',
        initiator: { personId: front.person.id, name: front.person.name },
        deviceTime: T0,
      },
      expansion: exp.expansion,
      invitationIds: exp.expansion.posts.map((p) => `inv-${p.post.id}`),
    });
    const a = connectGroup(server.wsUrl, G, front.token, doc);
    await waitFor(() => a.fullyAcked());
    a.destroy();
    // The management desk signs 4 min 30 s after the invitation was registered.
    await server.moveClock({ advanceMs: 4 * MIN + 30_000 });
    const mgmt = await login(server.url, 'demo005');
    const m = connectGroup(server.wsUrl, G, mgmt.token);
    await waitFor(() => m.provider.synced && m.lastAck());
    signOff(m.doc, {
      id: 'so-1',
      invitationId: 'inv-p-e-mgmt',
      by: { personId: mgmt.person.id, name: mgmt.person.name },
      deviceTime: T0,
    });
    await waitFor(() => m.fullyAcked());
    m.destroy();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const get = async (who: string, query: string) => {
    const l = await login(server.url, who);
    return fetch(`${server.url}/api/stats/${query}`, { headers: { authorization: `Bearer ${l.token}` } });
  };
  const range = `from=${T0 - 60 * MIN}&to=${T0 + 60 * MIN}`;

  it('STATS-3 STATS-6 STATS-11: the sub-bureau leader reads the figures of a group signed over the relay', async () => {
    const body = await waitFor(async () => {
      const res = await get('demo007', `figures?${range}`);
      const b = (await res.json()) as { figures: { started: number; signOff: { onTime: number } } };
      return b.figures.signOff.onTime === 1 ? b : null;
    });
    const f = (body as unknown as { figures: Record<string, unknown> }).figures as {
      started: number;
      participantTimes: number;
      distinctParticipants: number;
      byKind: { postKind: string; onTime: number; medianSeconds: number; p90Seconds: number }[];
      byPost: { postId: string; onTime: number }[];
    };
    expect(f.started).toBe(1);
    expect(f.participantTimes).toBe(2);
    expect(f.distinctParticipants).toBe(2);
    const mgmt = f.byKind.find((k) => k.postKind === 'management')!;
    // STATS-11: 270 s lies in the bucket [264, 272 s), reported as its middle.
    expect(mgmt).toMatchObject({ onTime: 1, medianSeconds: 268, p90Seconds: 268 });
    expect(f.byPost.find((p) => p.postId === 'p-e-mgmt')!.onTime).toBe(1);
  });

  it('STATS-6: a leader of another sub-bureau sees none of it and may not ask for its units; others get 403', async () => {
    const west = (await (await get('demo023', `figures?${range}`)).json()) as { figures: { started: number } };
    expect(west.figures.started).toBe(0);
    expect((await get('demo023', `figures?${range}&unit=st-e1`)).status).toBe(403);
    expect((await get('demo015', `figures?${range}`)).status).toBe(403);
    const city = (await (await get('demo001', `figures?${range}`)).json()) as { figures: { started: number } };
    expect(city.figures.started).toBe(1);
    const auditor = (await (await get('demo004', `figures?${range}&unit=sb-e`)).json()) as {
      figures: { started: number };
    };
    expect(auditor.figures.started).toBe(1);
    expect((await get('demo004', `figures?from=5&to=1`)).status).toBe(400);
  });

  it('STATS-4: daily and weekly trends and the rankings by unit and sub-bureau count the group', async () => {
    for (const bucket of ['day', 'week']) {
      const res = await get('demo004', `trend?${range}&bucket=${bucket}`);
      const b = (await res.json()) as { points: { at: number; started: number; onTime: number; judged: number }[] };
      expect(b.points.reduce((n, p) => n + p.started, 0)).toBe(1);
      expect(b.points[0]!.at).toBeLessThanOrEqual(T0);
    }
    const units = (await (await get('demo004', `ranking?${range}&by=unit`)).json()) as { rows: { id: string }[] };
    expect(units.rows.map((r) => r.id)).toEqual(['st-e1']);
    const sb = (await (await get('demo004', `ranking?${range}&by=subBureau&postKind=management`)).json()) as {
      rows: { id: string; onTime: number; judged: number }[];
    };
    expect(sb.rows).toEqual([expect.objectContaining({ id: 'sb-e', onTime: 1, judged: 1 })]);
  });

  it('STATS-4 STATS-7: drill-down lists the group, the CSV export holds it, and every read is audited', async () => {
    const drill = (await (await get('demo007', `groups?${range}&figure=open`)).json()) as {
      total: number;
      rows: { groupId: string }[];
    };
    expect(drill.total).toBe(1);
    expect(drill.rows[0]!.groupId).toBe(G);
    const res = await get('demo004', `export?${range}&table=groups&figure=started`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    expect(csv.split('\r\n')[1]).toContain(G);
    const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, detail FROM audit WHERE action = 'stats-read'`).all() as {
        actor: string;
        detail: string;
      }[];
      expect(rows.some((r) => r.actor === 'demo004' && JSON.parse(r.detail).what === 'export')).toBe(true);
      expect(rows.some((r) => r.actor === 'demo007' && JSON.parse(r.detail).what === 'groups')).toBe(true);
    } finally {
      db.close();
    }
  });
});
