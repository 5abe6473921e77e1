/**
 * A real small disk for storage tests: a tmpfs of a given size mounted on a temp folder (needs root, as in CI and
 * on the development machine). `fill()` writes a filler file until the disk is full, `free()` removes it,
 * `readOnly()` remounts it read-only. Where mounting is not allowed the tests are skipped with a loud message,
 * except under CI=true, where that is an error.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  fill(): void;
  free(): void;
  readOnly(): void;
  unmount(): void;
}

let mountable: boolean | null = null;

/** Whether a tmpfs can be mounted here (checked once). */
export function canMountSmallDisk(): boolean {
  if (mountable !== null) return mountable;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-disk-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    mountable = true;
  } catch {
    mountable = false;
    if (process.env['CI'] === 'true') throw new Error('smallDisk: cannot mount a tmpfs under CI (run as root)');
    console.warn('\n*** smallDisk: cannot mount a tmpfs here (not root?): full-disk tests are SKIPPED ***\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return mountable;
}

export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        for (let chunk = 1 << 20; chunk >= 1;) {
          try {
            fs.writeSync(fd, Buffer.alloc(chunk));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            chunk >>= 1;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir]);
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
