/**
 * Starts the real server (`sync-server/src/main.ts`) as a child process on port 0 with a temp data dir, and
 * parses the port it prints. `kill('SIGKILL')` + `restart()` reuse the data dir; `stop()` removes it.
 * `restart({ samePort: true })` keeps the port too: a browser keeps its origin (IndexedDB, service worker).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNC_PATH } from '@muster/protocol';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(REPO_ROOT, 'sync-server/src/main.ts');
const READY = /Muster listening on http:\/\/localhost:(\d+)/;

export interface StartOptions {
  /** Extra MUSTER_* variables. */
  env?: Record<string, string>;
  /** Seed the fictional demo city into the fresh data dir (SAFE-1; default true: tests log in as demo officers). */
  demo?: boolean;
  /** MUSTER_CLOCK=manual: enables POST /api/test/clock. */
  manualClock?: boolean;
  /** Reuse a data dir (it is then not removed by stop()). */
  dataDir?: string;
  startTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class TestServer {
  readonly dataDir: string;
  readonly #env: Record<string, string>;
  readonly #ownsDataDir: boolean;
  readonly #timeout: number;
  #proc: ChildProcess | null = null;
  #exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  #out = '';
  port = 0;

  constructor(opts: StartOptions = {}) {
    this.#ownsDataDir = !opts.dataDir;
    this.dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'muster-it-'));
    this.#timeout = opts.startTimeoutMs ?? 30_000;
    this.#env = {
      MUSTER_PORT: '0',
      MUSTER_HOST: '127.0.0.1',
      MUSTER_DATA_DIR: this.dataDir,
      MUSTER_LOG_LEVEL: 'info',
      ...(opts.demo === false ? {} : { MUSTER_DEMO: '1' }),
      // ASSIST-9: no demo look-up data unless a test asks (MUSTER_LOOKUP_DEMO_SCALE in its env).
      MUSTER_LOOKUP_DEMO_SCALE: '0',
      ...(opts.manualClock ? { MUSTER_CLOCK: 'manual' } : {}),
      ...opts.env,
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * A fresh access token of the demo admin (`demo003`). Logged in anew each time: a moved clock may have expired
   * an older one.
   */
  async adminToken(): Promise<string> {
    const res = await fetch(`${this.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policeNo: 'demo003', password: 'muster-demo' }),
    });
    if (res.status !== 200) throw new Error(`admin login: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  /**
   * Moves the server's manual clock (started with `manualClock`) as the demo admin (SAFE-2): `{ set }` an absolute
   * time or `{ advanceMs }`. Resolves to the server's time after the move; throws when the server refuses.
   */
  async moveClock(body: { set?: number; advanceMs?: number }): Promise<number> {
    const res = await fetch(`${this.url}/api/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.adminToken()}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`moving the server clock: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { now: number }).now;
  }

  /** Base URL for WebsocketProvider (the room `group:<id>` is appended). */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}${SYNC_PATH}`;
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  /** Everything the process wrote to stdout and stderr so far (all runs). */
  output(): string {
    return this.#out;
  }

  /** Starts the process; `listenPort` overrides MUSTER_PORT (0: a free one). */
  async start(listenPort?: number): Promise<this> {
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.#env, ...(listenPort === undefined ? {} : { MUSTER_PORT: String(listenPort) }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#proc = proc;
    this.#exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${this.#out}`)), this.#timeout);
      let pending = '';
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        this.#out += text;
        pending += text;
        const m = READY.exec(pending);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (chunk: Buffer) => (this.#out += chunk.toString('utf8')));
      void this.#exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (${exit.code ?? exit.signal}):\n${this.#out}`));
      });
    });
    this.port = port;
    return this;
  }

  /** Sends a signal and resolves with how the process ended. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    const proc = this.#proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return this.#exited;
    proc.kill(signal);
    return this.#exited;
  }

  /**
   * Starts again on the same data dir (after kill, or stops it first). The port changes unless `samePort`: then
   * the old port is asked for again (a browser's origin, and with it IndexedDB and the service worker, stays).
   */
  async restart(opts: { samePort?: boolean } = {}): Promise<this> {
    const port = this.port;
    await this.kill('SIGTERM');
    return this.start(opts.samePort && port ? port : undefined);
  }

  /** Stops (SIGTERM, then SIGKILL if needed) and removes the temp data dir. */
  async stop(): Promise<void> {
    const proc = this.#proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await this.kill('SIGTERM');
      clearTimeout(timer);
    }
    if (this.#ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  return new TestServer(opts).start();
}
