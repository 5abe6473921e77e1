/**
 * A PostgreSQL server of a test's own (SCALE-7): `initdb` into a temporary directory, started on a free port of
 * 127.0.0.1 with trust auth, so a test may stop it the hard way (`pg_ctl stop -m immediate`: a crash, recovered
 * from the WAL at the next start) and start it again without touching the machine's shared server. The binaries
 * are those of the machine's PostgreSQL (`/usr/lib/postgresql/<n>/bin`, Debian); run as `postgres` when the tests
 * run as root (PostgreSQL refuses root). `stop()` removes everything.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './cluster.ts';

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

export class PrivatePostgres {
  readonly port: number;
  readonly #dir: string;
  readonly #bin: string;

  private constructor(port: number, dir: string, bin: string) {
    this.port = port;
    this.#dir = dir;
    this.#bin = bin;
  }

  /** Whether this machine can make one (Debian's PostgreSQL binaries). */
  static available(): boolean {
    return binDir() !== null;
  }

  static async start(): Promise<PrivatePostgres> {
    const bin = binDir();
    if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pg-'));
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
    const pg = new PrivatePostgres(await freePort(), dir, bin);
    pg.#run('initdb', ['-D', pg.#data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await pg.startAgain();
    return pg;
  }

  get #data(): string {
    return path.join(this.#dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  #run(tool: string, args: string[]): void {
    const exe = path.join(this.#bin, tool);
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : exe, asRoot ? ['-u', 'postgres', '--', exe, ...args] : args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: this.#dir,
    });
  }

  /** Starts the server (again) and resolves once it accepts connections. */
  async startAgain(): Promise<void> {
    this.#run('pg_ctl', [
      '-D',
      this.#data,
      '-l',
      path.join(this.#dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.#dir} -c listen_addresses=127.0.0.1`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** Stops the server: `immediate` is a crash (no checkpoint; committed work comes back from the WAL). */
  async halt(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    this.#run('pg_ctl', ['-D', this.#data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** The server's log (printed when a test fails). */
  log(): string {
    const f = path.join(this.#dir, 'log');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  async stop(): Promise<void> {
    try {
      this.#run('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
