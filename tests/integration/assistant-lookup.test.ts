/**
 * The look-up assistant over real sockets and the real relay (story 2 of domain.md): questions are records in the
 * group (one asked before the device ever connected), the relay answers them from the SQLite demo sources into
 * `server:answers`, follow-ups use the last person found, clarifications are tapped, sensitive values are masked,
 * reveal needs clearance, an answer is pushed to the scene officer's inbox and acknowledged, and the audit log
 * holds every query.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledgePush,
  askQuestion,
  inboxItems,
  invitePost,
  isValidResidentId,
  lookupThread,
  pushLookupAnswer,
  readAnswer,
  startGroup,
} from '@muster/core';
import type { AnswerRecord } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'g-assist-story2';

const actor = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

describe('the look-up assistant (story 2)', () => {
  let server: TestServer;
  let officer: LoginResponse; // demo015: frontline, on duty at 东湖派出所 (clearance 1)
  let dataDesk: LoginResponse; // demo009: on duty at 东城分局数据赋能岗 (data-support, clearance 2)
  let client: GroupClient;
  const clients: { destroy(): void }[] = [];
  let n = 0;

  const ask = async (text: string, choiceOf?: { questionId: string; index: number }): Promise<AnswerRecord> => {
    const id = `q${++n}`;
    askQuestion(client.doc, {
      id,
      text,
      by: actor(officer),
      deviceTime: Date.now(),
      ...(choiceOf ? { choiceOf } : {}),
    });
    return waitFor(() => readAnswer(client.doc, id), 20_000, `answer to ${text}`);
  };

  beforeAll(async () => {
    server = await startServer({ manualClock: true, env: { MUSTER_LOOKUP_DEMO_SCALE: '0.002' } });
    officer = await login(server.url, 'demo015');
    dataDesk = await login(server.url, 'demo009');
    // ASSIST-4: the group and the first question are written with no connection at all.
    const doc = new Y.Doc();
    startGroup(doc, {
      id: GROUP,
      kind: 'incident',
      title: '网约车司机被打',
      incident: { number: 'J-2', type: 'assault', address: '滨江大道66号', reportedAt: null },
      unitId: officer.person.unitId,
      initiator: actor(officer),
      deviceTime: Date.now(),
    });
    invitePost(doc, {
      id: 'inv-data',
      post: { id: 'p-e-data', name: '东城分局数据赋能岗', unitId: 'sb-e', unitName: '东城分局', kind: 'support' },
      invitedBy: actor(officer),
      deviceTime: Date.now(),
    });
    askQuestion(doc, { id: 'q0', text: '10020260110 机主是谁', by: actor(officer), deviceTime: Date.now() });
    client = connectGroup(server.wsUrl, GROUP, officer.token, doc);
    clients.push(client);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('ASSIST-4 ASSIST-6: a question asked offline is answered when it reaches the relay, sensitive values masked', async () => {
    const a = await waitFor(() => readAnswer(client.doc, 'q0'), 30_000, 'answer to the offline question');
    expect(a.status).toBe('answered');
    expect(a.query).toEqual({ intent: 'phoneOwner', subject: { kind: 'phone', value: '10020260110' } });
    const phones = a.results.find((r) => r.source === 'phones')!;
    expect(phones.total).toBe(1);
    expect(phones.rows[0]!.values['owner']).toBe('严立诚');
    expect(phones.rows[0]!.values['number']).toBe('100****0110');
    expect(String(phones.rows[0]!.values['ownerId'])).toMatch(/^990188\*{8}\d{3}[\dX]$/);
    expect(phones.rows[0]!.masked.sort()).toEqual(['number', 'ownerId']);
    expect(a.person).toEqual({ key: 'P9000001', name: '严立诚' });
  });

  it('ASSIST-1: the driver’s plate finds the ride and its passenger; the passenger’s name finds two assaults', async () => {
    const rides = await ask('苏K·D20260 最近的网约车订单');
    const r = rides.results.find((x) => x.source === 'ride-hailing')!;
    expect(r.rows.map((x) => x.values['passenger'])).toContain('鲁振飞');
    const prior = await ask('鲁振飞 1991 年生 前科');
    expect(prior.status).toBe('answered');
    const cases = prior.results.find((x) => x.source === 'prior-cases')!;
    expect(cases.total).toBe(2);
    expect(cases.rows.map((x) => x.values['offence'])).toEqual(['故意伤害', '故意伤害']);
    expect(prior.person).toEqual({ key: 'P9000002', name: '鲁振飞' });
  });

  it('ASSIST-3 ASSIST-7: a follow-up is about the last person found; a source above the asker’s clearance is refused', async () => {
    const lodging = await ask('他最近的住宿记录');
    expect(lodging.query).toMatchObject({ intent: 'lodging', subject: { kind: 'person', value: 'P9000002' } });
    const res = lodging.results.find((x) => x.source === 'lodging')!;
    expect(res.error).toBe('no-clearance');
    expect(res.rows).toEqual([]);
  });

  it('ASSIST-2: "his records" asks which; tapping a choice answers that choice', async () => {
    const clarify = await ask('他的记录');
    expect(clarify.status).toBe('clarify');
    expect(clarify.choices!.map((c) => c.intent)).toEqual(['priorCases', 'lodging', 'rideHailing', 'calls110']);
    const tapped = await ask('前科', { questionId: `q${n}`, index: 0 });
    expect(tapped.status).toBe('answered');
    expect(tapped.results.find((x) => x.source === 'prior-cases')!.total).toBe(2);
    const bad = await ask('查身份证 990101198501012341');
    expect(bad).toMatchObject({ status: 'invalid', code: 'bad-id-check' });
  });

  it('ASSIST-6: reveal shows one masked value to a cleared member only, never writing it into the group', async () => {
    const rides = lookupThread(client.doc).find((i) => i.question.record.text.includes('苏K'))!;
    const row = rides
      .answer!.results.find((x) => x.source === 'ride-hailing')!
      .rows.find((x) => x.values['passenger'] === '鲁振飞')!;
    const body = {
      groupId: GROUP,
      questionId: rides.question.id,
      sourceId: 'ride-hailing',
      rowKey: row.key,
      field: 'passengerId',
    };
    const reveal = (token: string) =>
      fetch(`${server.url}/api/lookup/reveal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await reveal(officer.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('no-clearance');
    const shown = await reveal(dataDesk.token);
    expect(shown.status).toBe(200);
    const { value } = (await shown.json()) as { value: string };
    expect(isValidResidentId(value)).toBe(true);
    expect(JSON.stringify(client.doc.toJSON())).not.toContain(value);
    const notInAnswer = await fetch(`${server.url}/api/lookup/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dataDesk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, rowKey: 'R0' }),
    });
    expect(notInAnswer.status).toBe(404);
  });

  it('ASSIST-8: the data desk pushes the prior cases to the scene officer, who gets it in the inbox and acknowledges', async () => {
    const desk = connectGroup(server.wsUrl, GROUP, dataDesk.token, new Y.Doc());
    clients.push(desk);
    const priorQ = lookupThread(client.doc).find((i) => i.question.record.text.startsWith('鲁振飞'))!.question.id;
    await waitFor(() => desk.provider.synced && readAnswer(desk.doc, priorQ), 20_000, 'desk synced');
    pushLookupAnswer(desk.doc, {
      id: 'push-1',
      questionId: priorQ,
      to: actor(officer),
      text: '鲁振飞 前科 2 条：故意伤害',
      by: actor(dataDesk),
      deviceTime: Date.now(),
    });
    const inbox = connectInbox(server.wsUrl, officer.person.id, officer.token);
    clients.push(inbox);
    const item = await waitFor(
      () => inboxItems(inbox.doc).find((e) => e.item.kind === 'lookup')?.item,
      20_000,
      'lookup item in the officer’s inbox',
    );
    expect(item).toMatchObject({ groupId: GROUP, refId: 'push-1', text: '鲁振飞 前科 2 条：故意伤害' });
    await waitFor(() => client.doc.getMap('lookupPushes').has('push-1'), 20_000, 'push reaches the officer');
    acknowledgePush(client.doc, {
      id: 'ack-1',
      pushId: 'push-1',
      kind: 'ack',
      by: actor(officer),
      deviceTime: Date.now(),
    });
    await waitFor(
      () => lookupThread(desk.doc).find((i) => i.question.id === priorQ)?.pushes[0]?.ack?.acked,
      20_000,
      'the desk sees the acknowledgement',
    );
  });

  it('ASSIST-7 AUDIT-3: every query is audited with who, group, question, sources and counts; reveals too', async () => {
    const asked = lookupThread(client.doc).length;
    const rows = await waitFor(
      () => {
        const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
        try {
          const r = db
            .prepare(
              "SELECT action, actor, doc_name AS docName, detail FROM audit WHERE action LIKE 'lookup%' ORDER BY seq",
            )
            .all() as { action: string; actor: string; docName: string; detail: string }[];
          return r.filter((x) => x.action === 'lookup').length >= asked ? r : null;
        } finally {
          db.close();
        }
      },
      20_000,
      'audit rows',
    );
    const queries = rows.filter((r) => r.action === 'lookup');
    expect(queries).toHaveLength(asked);
    expect(new Set(queries.map((q) => q.docName))).toEqual(new Set([`group:${GROUP}`]));
    const texts = queries.map((q) => (JSON.parse(q.detail) as { question: string }).question);
    for (const i of lookupThread(client.doc)) expect(texts).toContain(i.question.record.text);
    const prior = JSON.parse(queries.find((q) => q.detail.includes('鲁振飞 1991'))!.detail) as {
      sources: { id: string; total: number }[];
      results: number;
    };
    expect(prior.sources).toEqual([{ id: 'prior-cases', total: 2 }]);
    const reveals = rows
      .filter((r) => r.action === 'lookup-reveal')
      .map((r) => [r.actor, JSON.parse(r.detail).outcome]);
    expect(reveals).toEqual([
      ['demo015', 'no-clearance'],
      ['demo009', 'revealed'],
      ['demo009', 'not-in-answer'],
    ]);
  });
});
