/**
 * ASSIST-5: a bad `MUSTER_LOOKUP_SOURCES` file stops a restart with one clear line (exit 2, no stack trace), before
 * anything is opened; the groups the relay holds are all there once the file is fixed, and its source is served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Root, addFinding, readMeta, startGroup } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf } from '../helpers/closedGroup.ts';
import { TestServer } from '../helpers/startServer.ts';

const G = 'g-sources-file';
const source = {
  info: {
    id: 'residence-permits',
    name: { zh: '暂住登记（演示）', en: 'Residence permits (demo)' },
    intent: 'household',
    keys: ['person'],
    fields: [{ key: 'address', name: { zh: '暂住地址', en: 'Address' } }],
    sensitivity: 'sensitive',
    clearance: 1,
  },
  queryUrl: 'http://127.0.0.1:9/q?by={by}&v={value}',
  getUrl: 'http://127.0.0.1:9/p/{key}',
  rowsPath: 'items',
  keyPath: 'no',
  fieldPaths: { address: 'address' },
};

describe('ASSIST-5: the MUSTER_LOOKUP_SOURCES file at start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-it-sources-'));
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}-sources.json`);
  const servers: TestServer[] = [];
  const clients: GroupClient[] = [];
  const server = (env: Record<string, string> = {}): TestServer => {
    const s = new TestServer({ dataDir, env });
    servers.push(s);
    return s;
  };

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  });

  it('ASSIST-5: a bad file refuses the start with one clear line; fixed, every group is still there', async () => {
    // A relay with a group and a finding, acknowledged, then stopped.
    const first = await server().start();
    const officer = await login(first.url, 'demo015');
    const doc = new Y.Doc();
    startGroup(doc, {
      id: G,
      kind: 'incident',
      title: 'T',
      unitId: officer.person.unitId,
      initiator: actorOf(officer),
      deviceTime: 1,
    });
    addFinding(doc, { id: 'f-kept', text: '保留（虚构）', author: actorOf(officer), deviceTime: 2 });
    const c = connectGroup(first.wsUrl, G, officer.token, doc);
    clients.push(c);
    await waitFor(() => c.fullyAcked(), 20_000, 'group acked');
    c.destroy();
    await first.kill('SIGTERM');

    // Restarted with a broken sources file: it refuses, in one line naming the variable, the file and the problem.
    fs.writeFileSync(file, JSON.stringify([{ ...source, info: { ...source.info, intent: 'horoscope' } }]));
    const bad = server({ MUSTER_LOOKUP_SOURCES: file });
    await expect(bad.start()).rejects.toThrow(/exited early \(2\)/);
    const said = bad.output().trim();
    expect(said).toBe(
      `Muster: MUSTER_LOOKUP_SOURCES (${file}): source 1: source residence-permits: unknown intent horoscope`,
    );

    // Not JSON at all: the same.
    fs.writeFileSync(file, '[{"info":');
    const worse = server({ MUSTER_LOOKUP_SOURCES: file });
    await expect(worse.start()).rejects.toThrow(/exited early \(2\)/);
    expect(worse.output()).toMatch(/^Muster: MUSTER_LOOKUP_SOURCES \(.*\): is not JSON: /);
    expect(worse.output()).not.toMatch(/\n\s+at /);

    // Fixed: it starts, the group and its finding are all there, and the source is served.
    fs.writeFileSync(file, JSON.stringify([source]));
    const fixed = await server({ MUSTER_LOOKUP_SOURCES: file }).start();
    const again = await login(fixed.url, 'demo015');
    const back = connectGroup(fixed.wsUrl, G, again.token);
    clients.push(back);
    await waitFor(() => back.provider.synced && readMeta(back.doc), 20_000, 'group back');
    expect(back.doc.getMap(Root.entries).has('f-kept')).toBe(true);
    const res = await fetch(`${fixed.url}/api/lookup/sources`, { headers: { authorization: `Bearer ${again.token}` } });
    const listed = (await res.json()) as { sources: { id: string }[] };
    expect(listed.sources.map((s) => s.id)).toContain('residence-permits');
  });
});
