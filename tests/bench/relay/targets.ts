/** Starting the relays under test as child processes on 127.0.0.1, port 0. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNC_PATH } from '@muster/protocol';
import type { LoginRequest, LoginResponse } from '@muster/protocol';
import { spawnTs } from '../lib/proc.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const MUSTER_MAIN = join(REPO_ROOT, 'sync-server/src/main.ts');

export interface Target {
  name: 'reference' | 'muster';
  label: string;
  /** Base URL for WebsocketProvider: the room name is appended as `/<room>`. */
  wsUrl: string;
  /** Access tokens to spread over the connections; empty when the relay needs none. */
  tokens: string[];
  /** Whether the relay sends durable acknowledgements (message 8). */
  acks: boolean;
  /**
   * The officer the clients write as, with a unit to start groups in. Muster's relay only accepts records authored
   * by the connection's own person, from members of the group, so every client writes as one logged-in officer.
   */
  actor?: { personId: string; name: string; unitId: string };
  /** Process under test (its CPU is measured). */
  pid: number;
  stop: () => Promise<void>;
}

export async function startReference(): Promise<Target> {
  const proc = await spawnTs(join(REPO_ROOT, 'tests/bench/relay/referenceRelay.ts'), {
    cwd: REPO_ROOT,
    ready: /listening (\d+)/,
  });
  return {
    name: 'reference',
    label: '@y/websocket-server 0.1.1',
    wsUrl: `ws://127.0.0.1:${proc.match[1]}`,
    tokens: [],
    acks: false,
    pid: proc.pid,
    stop: proc.stop,
  };
}

export function musterAvailable(): boolean {
  return existsSync(MUSTER_MAIN);
}

async function login(base: string, policeNo: string): Promise<LoginResponse | null> {
  const body: LoginRequest = { policeNo, password: process.env['BENCH_PASSWORD'] ?? 'muster-demo' };
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) return null;
  return (await res.json()) as LoginResponse;
}

/**
 * Muster's relay with persistence on: `sync-server/src/main.ts` as its own node process, storing in a real
 * SQLite file under a fresh temp dir (removed afterwards). Logs in a few demo officers for tokens.
 */
export async function startMuster(tokenCount: number): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
  const proc = await spawnTs(MUSTER_MAIN, {
    cwd: REPO_ROOT,
    env: {
      MUSTER_PORT: '0',
      MUSTER_HOST: '127.0.0.1',
      MUSTER_DATA_DIR: dataDir,
      MUSTER_DEMO: '1',
      MUSTER_LOG_LEVEL: process.env['BENCH_MUSTER_LOG_LEVEL'] ?? 'info',
      // The load comes from one officer: lift the per-person connection cap (LIMIT-4) for the bench only.
      MUSTER_LIMIT_CONNECTIONS_PER_PERSON: '10000',
      // No demo look-up data (ASSIST-9): generating its million rows in the background took the relay's main thread
      // for seconds while the load ran, which measured the generator, not the relay.
      MUSTER_LOOKUP_DEMO_SCALE: '0',
    },
    ready: /Muster listening on https?:\/\/[^\s:]+:(\d+)/,
  });
  const port = proc.match[1]!;
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    // One officer who may start groups and write in them (the city duty leader of the fictional demo city);
    // several sessions of that officer spread the connections over tokens.
    const policeNo = process.env['BENCH_LOGIN'] ?? 'demo001';
    const tokens: string[] = [];
    let actor: Target['actor'];
    for (let i = 0; i < tokenCount; i++) {
      const res = await login(base, policeNo);
      if (!res) continue;
      tokens.push(res.token);
      actor = { personId: res.person.id, name: res.person.name, unitId: res.person.unitId };
    }
    if (tokens.length === 0) throw new Error(`the demo login ${policeNo} failed at ${base}/api/login`);
    return {
      name: 'muster',
      label: "Muster's relay (SQLite)",
      wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
      tokens,
      ...(actor ? { actor } : {}),
      acks: true,
      pid: proc.pid,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
