/**
 * Several real relay nodes for tests (SCALE-*): child processes of `sync-server/src/main.ts` sharing one PostgreSQL
 * schema (unique per test, dropped afterwards), a Redis of their own (a `redis-server` child on a free port, so a
 * test may restart it without touching anyone else's), and HAProxy from Debian in front, checking `/readyz`.
 * `pgVia` puts a node's PostgreSQL connections through a TCP relay the test can cut (a restart or a partition).
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SYNC_PATH } from '@muster/protocol';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../../sync-server/src/store/pg/testSchema.ts';
import { WITNESS_FILE } from '../../sync-server/src/audit/checkpoints.ts';
import { REPO_ROOT, TestServer } from './startServer.ts';
import { waitUntil } from './wait.ts';

export const HAPROXY = fs.existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
const VERIFY_CLI = path.join(REPO_ROOT, 'sync-server/src/audit/verifyCli.ts');
const SECRET = 'cluster-test-secret-0123456789abcdef0123456789';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A TCP relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
export class TcpRelay {
  readonly port: number;
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  readonly #target: { host: string; port: number };

  private constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.#target = target;
  }

  static async start(target: { host: string; port: number }): Promise<TcpRelay> {
    const r = new TcpRelay(await freePort(), target);
    await r.restore();
    return r;
  }

  async restore(): Promise<void> {
    if (this.#server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#target.port, this.#target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export class TestRedis {
  readonly port: number;
  #proc: ChildProcess | null = null;
  private constructor(port: number) {
    this.port = port;
  }
  static async start(): Promise<TestRedis> {
    const r = new TestRedis(await freePort());
    await r.restart();
    return r;
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async restart(): Promise<void> {
    await this.stop();
    const proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#proc = proc;
    await waitUntil(
      () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect(this.port, '127.0.0.1', () => (s.destroy(), resolve(true)));
          s.on('error', () => resolve(false));
        }),
      { timeoutMs: 10_000, what: 'redis-server listening' },
    );
  }
  async stop(): Promise<void> {
    const proc = this.#proc;
    this.#proc = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }
}

export interface ClusterNode {
  id: string;
  server: TestServer;
  port: number;
  pgRelay: TcpRelay | null;
}

export interface ClusterOptions {
  nodes: number;
  leaseMs?: number;
  /** Nodes (by index) whose PostgreSQL connections go through a TcpRelay. */
  pgVia?: number[];
  env?: Record<string, string>;
  /** The PostgreSQL the nodes share (default: the machine's, TEST_PG_URL; a test's own: PrivatePostgres). */
  pgUrl?: string;
}

/** Nodes, their Redis and PostgreSQL schema, and HAProxy in front. */
export class TestCluster {
  readonly schema = uniqueSchema('cl');
  readonly nodes: ClusterNode[] = [];
  redis!: TestRedis;
  balancerPort = 0;
  #haproxy: ChildProcess | null = null;
  #haproxyOut = '';
  #dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cluster-'));
  readonly pgUrl: string;
  /** The test's own connections to the schema (an error of an idle one, as when PostgreSQL restarts, is ignored). */
  readonly pool: pg.Pool;
  /** SCALE-9: the audit key file every node shares (made here, as an operator makes it once). */
  readonly auditKeyFile = path.join(this.#dir, 'audit-signing-key.pem');
  #options: ClusterOptions = { nodes: 0 };
  readonly #pgUrl: URL;

  private constructor(pgUrl: string) {
    this.pgUrl = pgUrl;
    this.#pgUrl = new URL(pgUrl);
    this.pool = new pg.Pool({ connectionString: pgUrl, max: 2, options: `-c search_path=${this.schema}` });
    this.pool.on('error', () => {});
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    fs.writeFileSync(this.auditKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }

  static async start(o: ClusterOptions): Promise<TestCluster> {
    const c = new TestCluster(o.pgUrl ?? TEST_PG_URL);
    c.#options = o;
    c.redis = await TestRedis.start();
    for (let i = 0; i < o.nodes; i++) {
      const id = `n${i + 1}`;
      const port = await freePort();
      const relay = o.pgVia?.includes(i)
        ? await TcpRelay.start({ host: c.#pgUrl.hostname, port: Number(c.#pgUrl.port || 5432) })
        : null;
      const server = c.nodeServer(id, port, relay);
      c.nodes.push({ id, server, port, pgRelay: relay });
      // One at a time: the first migrates and seeds.
      await server.start(port);
    }
    await c.#startBalancer();
    return c;
  }

  /**
   * A node's process (not started), configured like every node of this cluster: the same schema, Redis, secret and
   * audit key file (SCALE-9), unless `env` says otherwise. `start` starts the cluster's nodes with it; a test may
   * make one more (it is not behind the balancer then).
   */
  nodeServer(id: string, port: number, relay: TcpRelay | null = null, env: Record<string, string> = {}): TestServer {
    const pgPort = `:${this.#pgUrl.port || 5432}/`;
    const url = relay ? this.pgUrl.replace(pgPort, `:${relay.port}/`) : this.pgUrl;
    return new TestServer({
      env: {
        MUSTER_STORE: 'pg',
        MUSTER_PG_URL: url,
        MUSTER_PG_SCHEMA: this.schema,
        MUSTER_NODE_ID: id,
        MUSTER_NODE_URL: `http://127.0.0.1:${port}`,
        MUSTER_JWT_SECRET: SECRET,
        MUSTER_REDIS_URL: this.redis.url,
        MUSTER_LEASE_MS: String(this.#options.leaseMs ?? 3000),
        MUSTER_DOC_IDLE_MS: '60000',
        MUSTER_AUDIT_KEY_FILE: this.auditKeyFile,
        ...this.#options.env,
        ...env,
      },
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.balancerPort}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.balancerPort}${SYNC_PATH}`;
  }

  async #startBalancer(): Promise<void> {
    this.balancerPort = await freePort();
    const cfg = path.join(this.#dir, 'haproxy.cfg');
    const servers = this.nodes
      .map((n) => `  server ${n.id} 127.0.0.1:${n.port} check inter 500 fall 4 rise 1`)
      .join('\n');
    fs.writeFileSync(
      cfg,
      `global
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  timeout check 5s
  retries 3
  option redispatch
frontend muster
  bind 127.0.0.1:${this.balancerPort}
  default_backend relays
backend relays
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${servers}
`,
    );
    const proc = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d: Buffer) => (this.#haproxyOut += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.#haproxyOut += d.toString()));
    this.#haproxy = proc;
    await waitUntil(async () => (await fetch(`${this.url}/healthz`).catch(() => null))?.status === 200, {
      timeoutMs: 15_000,
      what: `haproxy up: ${this.#haproxyOut}`,
    });
  }

  /** The node holding the document's unexpired lease (null: none). */
  async ownerOf(docName: string): Promise<ClusterNode | null> {
    const r = await this.pool.query<{ node: string }>(
      'SELECT node FROM leases WHERE doc = $1 AND expires_at > clock_timestamp()',
      [docName],
    );
    return this.nodes.find((n) => n.id === r.rows[0]?.node) ?? null;
  }

  /**
   * SCALE-9: `npm run audit:verify` over the cluster's PostgreSQL schema, against every node's witness file (those that have one), with the
   * shared key (or `--key` among `args`). Resolves to its exit status and output.
   */
  auditVerify(...args: string[]): { status: number | null; out: string } {
    const witnesses = this.nodes
      .map((n) => path.join(n.server.dataDir, WITNESS_FILE))
      .filter((f) => fs.existsSync(f))
      .flatMap((f) => ['--witness', f]);
    const r = spawnSync(process.execPath, ['--import', 'tsx', VERIFY_CLI, ...witnesses, ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        MUSTER_STORE: 'pg',
        MUSTER_PG_URL: this.pgUrl,
        MUSTER_PG_SCHEMA: this.schema,
        MUSTER_AUDIT_KEY_FILE: this.auditKeyFile,
        MUSTER_DATA_DIR: this.#dir,
      },
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  output(): string {
    return this.nodes.map((n) => `--- ${n.id}\n${n.server.output()}`).join('\n') + `\n--- haproxy\n${this.#haproxyOut}`;
  }

  async stop(): Promise<void> {
    this.#haproxy?.kill('SIGKILL');
    for (const n of this.nodes) {
      await n.pgRelay?.restore();
      await n.server.stop();
      await n.pgRelay?.cut();
    }
    await this.redis?.stop();
    await this.pool.end();
    await dropSchema(this.schema, this.pgUrl);
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
