/**
 * ASSIST-4, end to end: a question written on one device until its answer is visible on another device, over the
 * real relay (its own server process, the demo look-up sources at the bench's scale, copied into its data dir).
 * The asker is the east sub-bureau's data desk (demo009, clearance 2: every source is asked); the watcher is the
 * frontline officer who started the group (demo015). The baseline, measured in the same run and interleaved with
 * the questions, is a finding written on the same device until it is visible on the other: the relay's own round
 * trip, without the assistant. Budget: the 1 s.
 * Knobs: BENCH_ASSIST_E2E (questions, default 60).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { addFinding, askQuestion, invitePost, readAnswer, startGroup } from '@muster/core';
import type { Actor } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { DEMO_LOOKUP_FILE, STORY2 } from '../../sync-server/src/assistant/demoLookupData.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { TestServer } from '../helpers/startServer.ts';
import { envInt, percentile } from './lib/stats.ts';

export interface LatencyFigures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface AssistantE2eResult {
  questions: number;
  /** Question written on the asker's device → answer visible on the watcher's. */
  answer: LatencyFigures;
  /** Finding written on the asker's device → visible on the watcher's (the relay without the assistant). */
  baseline: LatencyFigures;
  /** Answers by status (answered, clarify…), to show what was asked. */
  statuses: Record<string, number>;
}

export interface Subjects {
  persons: { idNo: string; name: string; birthYear: number }[];
  phones: string[];
  plates: string[];
}

const GROUP = 'g-bench-assistant';

function figures(samples: number[]): LatencyFigures {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
  };
}

/** Resolves with the time `pred` first holds on `doc`, checked on each update it receives. */
function whenVisible(doc: Y.Doc, pred: () => boolean, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!pred()) return;
      doc.off('update', check);
      clearTimeout(timer);
      resolve(performance.now());
    };
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error('timed out waiting for the other device'));
    }, timeoutMs);
    doc.on('update', check);
    check();
  });
}

/** The questions asked, in turn: an ID number, a phone's owner, a plate, a name with prior cases, a follow-up. */
function questionAt(i: number, s: Subjects): string {
  const p = s.persons[i % s.persons.length]!;
  switch (i % 5) {
    case 0:
      return `查身份证 ${p.idNo}`;
    case 1:
      return `${s.phones[i % s.phones.length]!} 机主是谁`;
    case 2:
      return `${s.plates[i % s.plates.length]!} 车主`;
    case 3:
      return `${p.name} ${p.birthYear} 年生 前科`;
    default:
      return '他最近的住宿记录';
  }
}

export async function runAssistantE2e(
  lookupFile: string,
  scale: number,
  subjects: Subjects,
): Promise<AssistantE2eResult> {
  const questions = envInt('BENCH_ASSIST_E2E', 60, 5);
  const server = new TestServer({
    env: { MUSTER_LOOKUP_DEMO_SCALE: String(scale), MUSTER_LOOKUP_PER_MINUTE: '100000', MUSTER_LOG_LEVEL: 'warn' },
  });
  // The demo sources, ready: the relay finds them complete and does not generate them again.
  const target = path.join(server.dataDir, DEMO_LOOKUP_FILE);
  try {
    fs.linkSync(lookupFile, target);
  } catch {
    fs.copyFileSync(lookupFile, target);
  }
  await server.start();
  const clients: GroupClient[] = [];
  try {
    const [front, desk] = await Promise.all([login(server.url, 'demo015'), login(server.url, 'demo009')]);
    const actor = (l: LoginResponse): Actor => ({ personId: l.person.id, name: l.person.name });
    const watcher = connectGroup(server.wsUrl, GROUP, front.token);
    clients.push(watcher);
    await waitFor(() => watcher.provider.synced, 20_000, 'watcher synced');
    watcher.doc.transact(() => {
      startGroup(watcher.doc, {
        id: GROUP,
        kind: 'incident',
        title: '网约车司机被打 (bench)',
        incident: { number: 'J-bench', type: 'assault', address: '滨江大道66号', reportedAt: null },
        unitId: front.person.unitId,
        initiator: actor(front),
        deviceTime: Date.now(),
      });
      invitePost(watcher.doc, {
        id: 'inv-data',
        post: { id: 'p-e-data', name: '东城分局数据赋能岗', unitId: 'sb-e', unitName: '东城分局', kind: 'support' },
        invitedBy: actor(front),
        deviceTime: Date.now(),
      });
    });
    await waitFor(() => watcher.fullyAcked(), 20_000, 'group acked');
    const asker = connectGroup(server.wsUrl, GROUP, desk.token);
    clients.push(asker);
    await waitFor(() => asker.provider.synced && asker.doc.getMap('invitations').has('inv-data'), 20_000, 'asker');

    let n = 0;
    const ask = async (text: string): Promise<{ ms: number; status: string }> => {
      const id = `bq${++n}`;
      const seen = whenVisible(watcher.doc, () => readAnswer(watcher.doc, id) !== null);
      const t0 = performance.now();
      askQuestion(asker.doc, { id, text, by: actor(desk), deviceTime: Date.now() });
      const t1 = await seen;
      return { ms: t1 - t0, status: readAnswer(watcher.doc, id)!.status };
    };
    const finding = async (): Promise<number> => {
      const id = `bf${++n}`;
      const seen = whenVisible(watcher.doc, () => watcher.doc.getMap('entries').has(id));
      const t0 = performance.now();
      addFinding(asker.doc, { id, text: 'bench finding (fictional)', author: actor(desk), deviceTime: Date.now() });
      return (await seen) - t0;
    };

    // Warm-up: the relay's first look-ups open pages of the sources, the sockets settle.
    await ask(`${STORY2.driver.phone} 机主是谁`);
    for (let i = 0; i < 5; i++) {
      await ask(questionAt(i, subjects));
      await finding();
    }
    const answer: number[] = [];
    const baseline: number[] = [];
    const statuses: Record<string, number> = {};
    for (let i = 0; i < questions; i++) {
      const a = await ask(questionAt(i, subjects));
      answer.push(a.ms);
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      baseline.push(await finding());
    }
    return { questions, answer: figures(answer), baseline: figures(baseline), statuses };
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}
