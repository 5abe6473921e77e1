/**
 * Child processes under test and their CPU time, read from /proc (utime+stime of the process and its
 * descendants), so the relay's CPU is measured without touching its code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream distribution.

interface Stat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it start past the last ')'.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

/** CPU seconds (user+system) used so far by `pid` and all its live descendants; null without /proc. */
export function treeCpuSeconds(pid: number): number | null {
  const root = readStat(pid);
  if (!root) return null;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  let ticks = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const s = p === pid ? root : readStat(p);
    if (s) ticks += s.ticks;
    stack.push(...(children.get(p) ?? []));
  }
  return ticks / CLK_TCK;
}

const live = new Set<ChildProcess>();
let hooked = false;
/** Kills every child still running when this process exits, so a crashed bench leaves no relay behind. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of live) c.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Everything the child wrote so far (stdout+stderr), for error messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Spawns `node --import tsx <script>` (one node process: its pid is the process under test) and waits until a
 * line of its output matches `ready`; resolves with the match.
 */
export async function spawnTs(
  script: string,
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; ready: RegExp; timeoutMs?: number },
): Promise<Spawned & { match: RegExpMatchArray }> {
  // BENCH_NODE_ARGS: extra node flags for the measured processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hookExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  const keep = (chunk: Buffer): void => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${script} did not become ready in time; output:\n${out.slice(-4000)}`));
    }, opts.timeoutMs ?? 30_000);
    const onData = (): void => {
      const m = opts.ready.exec(out);
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${script} exited with ${code} before it was ready; output:\n${out.slice(-4000)}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', onExit);
  });
  return { child, pid: child.pid!, output: () => out, stop, match };
}
