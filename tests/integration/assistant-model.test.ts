/**
 * ASSIST-13: with a model server configured (a local stand-in for an OpenAI-compatible one, started by the test),
 * a question the parser cannot read is read by the model and answered from the demo sources; the model gets the
 * question text only, and the audit says the model read it. A question the parser reads never reaches the model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askQuestion, readAnswer, startGroup } from '@muster/core';
import type { AnswerRecord } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf } from '../helpers/closedGroup.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'g-assist-model';

describe('ASSIST-13: an optional model reads what the parser cannot', () => {
  let server: TestServer;
  let model: http.Server;
  const asked: string[] = [];
  let officer: LoginResponse;
  let client: GroupClient;
  let n = 0;

  const ask = async (text: string): Promise<AnswerRecord> => {
    const id = `q${++n}`;
    askQuestion(client.doc, { id, text, by: actorOf(officer), deviceTime: Date.now() });
    return waitFor(() => readAnswer(client.doc, id), 30_000, `answer to ${text}`);
  };

  beforeAll(async () => {
    model = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
        asked.push(JSON.stringify(body.messages));
        const content = '{"intent": "person", "subject": {"kind": "name", "value": "严立诚"}}';
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => model.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`;
    server = await startServer({ env: { MUSTER_LOOKUP_DEMO_SCALE: '0.002', MUSTER_LOOKUP_MODEL_URL: url } });
    officer = await login(server.url, 'demo015');
    const doc = new Y.Doc();
    startGroup(doc, {
      id: G,
      kind: 'incident',
      title: 'T',
      unitId: officer.person.unitId,
      initiator: actorOf(officer),
      deviceTime: Date.now(),
    });
    client = connectGroup(server.wsUrl, G, officer.token, doc);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    await new Promise((r) => model?.close(r));
  });

  it('ASSIST-13: the model’s reading is answered and audited; parsed questions and results never reach it', async () => {
    const parsed = await ask('10020260110 机主是谁');
    expect(parsed.query?.intent).toBe('phoneOwner');
    expect(asked).toEqual([]);

    const a = await ask('打听一下严立诚');
    expect(a.status).toBe('answered');
    expect(a.query).toEqual({ intent: 'person', subject: { kind: 'name', value: '严立诚' } });
    expect(a.results.find((r) => r.source === 'persons')!.rows.map((r) => r.values['name'])).toContain('严立诚');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('打听一下严立诚');
    expect(asked[0]).not.toContain('10020260110');
    expect(asked[0]).not.toContain(officer.person.name);

    const rows = await waitFor(
      () => {
        const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
        try {
          const r = db.prepare("SELECT detail FROM audit WHERE action = 'lookup' ORDER BY seq").all() as {
            detail: string;
          }[];
          return r.length >= 2 ? r.map((x) => JSON.parse(x.detail) as Record<string, unknown>) : null;
        } finally {
          db.close();
        }
      },
      20_000,
      'audit rows',
    );
    expect(rows.map((r) => r['readBy'] ?? null)).toEqual([null, 'model']);
  });
});
