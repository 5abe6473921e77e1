/**
 * The floor of a durable acknowledgement on this machine: fsync latency of a small write in the temp dir the relay
 * stores in (the bench's data dirs live there), one at a time with a gap, as an idle relay commits. A durable ack
 * (SYNC-2, PERF-3) waits for one such fsync, so its idle p99 cannot be below this figure of the same run.
 */
import { closeSync, fsync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, sleep } from './stats.ts';

export interface FsyncProbe {
  p50: number;
  p99: number;
  n: number;
}

export async function probeFsync(samples = 100, gapMs = 20): Promise<FsyncProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const xs: number[] = [];
  try {
    const page = Buffer.alloc(4096, 7);
    for (let i = 0; i < samples; i++) {
      writeSync(fd, page);
      const t = performance.now();
      await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      xs.push(performance.now() - t);
      await sleep(gapMs);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return { p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length };
}
