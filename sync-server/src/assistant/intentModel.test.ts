import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { OpenAiIntentModel } from './intentModel.ts';

/** A local stand-in for an OpenAI-compatible server (vLLM, llama.cpp): replies with `reply` (or fails / stalls). */
interface FakeModel {
  url: string;
  bodies: Record<string, unknown>[];
  headers: http.IncomingHttpHeaders[];
  reply: string | number | 'stall';
  close(): Promise<void>;
}

async function fakeModel(): Promise<FakeModel> {
  const fake: FakeModel = { url: '', bodies: [], headers: [], reply: '', close: async () => {} };
  const stalled: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      fake.bodies.push(JSON.parse(raw) as Record<string, unknown>);
      fake.headers.push(req.headers);
      if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
      if (fake.reply === 'stall') return void stalled.push(res);
      if (typeof fake.reply === 'number') return void res.writeHead(fake.reply).end('{}');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: fake.reply } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise((r) => {
      for (const s of stalled) s.destroy();
      server.close(() => r());
    });
  return fake;
}

describe('the OpenAI-compatible intent model (ASSIST-13)', () => {
  let fake: FakeModel;
  let model: OpenAiIntentModel;
  beforeAll(async () => {
    fake = await fakeModel();
    model = new OpenAiIntentModel(
      { url: fake.url, model: 'qwen-local', apiKey: 'k-test', timeoutMs: 300 },
      silentLogger,
    );
  });
  afterAll(() => fake.close());

  it('ASSIST-13: sends only the question; takes a reply the question supports, prose or fences around it', async () => {
    fake.reply = '```json\n{"intent": "person", "subject": {"kind": "name", "value": "严立诚"}}\n```';
    expect(await model.read('打听一下严立诚')).toEqual({
      intent: 'person',
      subject: { kind: 'name', value: '严立诚' },
    });
    const body = fake.bodies.at(-1)!;
    expect(body['model']).toBe('qwen-local');
    const messages = body['messages'] as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toBe('打听一下严立诚');
    expect(fake.headers.at(-1)!['authorization']).toBe('Bearer k-test');
  });

  it('ASSIST-13: a made-up subject, a non-answer, an error or a stall reads as nothing', async () => {
    fake.reply = '{"intent": "priorCases", "subject": {"kind": "name", "value": "鲁振飞"}}';
    expect(await model.read('打听一下严立诚')).toBeNull();
    fake.reply = '{"intent": null}';
    expect(await model.read('今天天气怎么样')).toBeNull();
    fake.reply = 'I cannot help with that.';
    expect(await model.read('打听一下严立诚')).toBeNull();
    fake.reply = 500;
    expect(await model.read('打听一下严立诚')).toBeNull();
    fake.reply = 'stall';
    const t0 = Date.now();
    expect(await model.read('打听一下严立诚')).toBeNull();
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
