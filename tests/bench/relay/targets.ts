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

async function login(base: string, policeNo: string): Promise<string | null> {
  const body: LoginRequest = { policeNo, password: process.env['BENCH_PASSWORD'] ?? 'muster-demo' };
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) return null;
  return ((await res.json()) as LoginResponse).token;
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
      MUSTER_LOG_LEVEL: process.env['BENCH_MUSTER_LOG_LEVEL'] ?? 'info',
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
    const tokens: string[] = [];
    for (let i = 1; i <= tokenCount; i++) {
      const token = await login(base, `demo${String(i).padStart(3, '0')}`);
      if (token) tokens.push(token);
    }
    if (tokens.length === 0) throw new Error(`no demo login succeeded at ${base}/api/login`);
    return {
      name: 'muster',
      label: "Muster's relay (SQLite)",
      wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
      tokens,
      acks: true,
      pid: proc.pid,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
