/**
 * ASSIST-12: a camera look-up is about the place the question names (a road, a crossing, an address), and "near
 * here" is about the latest finding's position once a finding carries one (else the incident address). Over the
 * real relay with the small demo sources.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFinding, askQuestion, readAnswer, startGroup } from '@muster/core';
import type { AnswerRecord } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf } from '../helpers/closedGroup.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'g-assist-place';

describe('ASSIST-12: where a camera look-up looks', () => {
  let server: TestServer;
  let officer: LoginResponse;
  let client: GroupClient;
  let n = 0;

  const ask = async (text: string): Promise<AnswerRecord> => {
    const id = `q${++n}`;
    askQuestion(client.doc, { id, text, by: actorOf(officer), deviceTime: Date.now() });
    return waitFor(() => readAnswer(client.doc, id), 30_000, `answer to ${text}`);
  };
  const cameras = (a: AnswerRecord) => a.results.find((r) => r.source === 'cameras')!;

  beforeAll(async () => {
    server = await startServer({ env: { MUSTER_LOOKUP_DEMO_SCALE: '0.002' } });
    officer = await login(server.url, 'demo015');
    const doc = new Y.Doc();
    startGroup(doc, {
      id: G,
      kind: 'incident',
      title: '网约车司机被打',
      incident: { number: 'J-12', type: 'assault', address: '滨江大道66号', reportedAt: null },
      unitId: officer.person.unitId,
      initiator: actorOf(officer),
      deviceTime: Date.now(),
    });
    client = connectGroup(server.wsUrl, G, officer.token, doc);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('ASSIST-12: a named road or crossing, then the incident address, then the latest finding’s position', async () => {
    const road = await ask('人民路附近的摄像头');
    expect(road.query).toEqual({ intent: 'cameras', subject: { kind: 'address', value: '人民路' } });
    expect(cameras(road).total).toBeGreaterThan(0);
    for (const r of cameras(road).rows) expect(String(r.values['address'])).toContain('人民路');

    const crossing = await ask('cameras near Jiefang Avenue and Renmin Road');
    expect(crossing.query?.subject).toEqual({ kind: 'address', value: 'Jiefang Avenue and Renmin Road' });
    expect(cameras(crossing).total).toBeGreaterThan(cameras(road).total);
    for (const r of cameras(crossing).rows) expect(String(r.values['address'])).toMatch(/解放大道|人民路/);

    const incident = await ask('附近的监控');
    expect(incident.query?.subject).toEqual({ kind: 'address', value: '滨江大道66号' });

    // A finding made at one of the demo cameras: "near here" is now about its position.
    const db = new Database(path.join(server.dataDir, 'lookup-demo.sqlite'), { readonly: true });
    const cam = db.prepare('SELECT key, lat, lon FROM cameras ORDER BY key LIMIT 1').get() as {
      key: string;
      lat: number;
      lon: number;
    };
    db.close();
    addFinding(client.doc, {
      id: 'f-located',
      text: '现场发现（虚构）',
      author: actorOf(officer),
      deviceTime: Date.now(),
      location: { lat: cam.lat, lon: cam.lon, accuracy: 15 },
    });
    await waitFor(() => client.fullyAcked(), 20_000, 'finding acked');
    const near = await ask('附近的监控');
    expect(near.query?.subject).toEqual({ kind: 'point', value: `${cam.lat.toFixed(5)},${cam.lon.toFixed(5)}` });
    expect(cameras(near).rows.map((r) => r.key)).toContain(cam.key);
    for (const r of cameras(near).rows) {
      expect(Math.abs(Number(r.values['lat']) - cam.lat)).toBeLessThanOrEqual(0.02 + 1e-5);
      expect(Math.abs(Number(r.values['lon']) - cam.lon)).toBeLessThanOrEqual(0.024 + 1e-5);
    }
  });
});
