/**
 * HTTP-4: the data folder is checked before anything opens in it: a folder that cannot be created or written (a
 * read-only mount, wrong permissions, a full disk) stops the server with one line saying what and where.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

const REASONS: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is over its disk quota',
  ENOTDIR: 'is not a folder',
};

/** Creates `dir` if needed and proves it writable (a probe file written, synced and removed). */
export function checkDataDir(dir: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(probe, 'w');
    try {
      fs.writeSync(fd, 'muster');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(probe, { force: true });
  } catch (error) {
    fs.rmSync(probe, { force: true, maxRetries: 0 });
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const why = REASONS[code] ?? `cannot be written (${(error as Error).message})`;
    throw new DataDirError(`the data folder ${dir} (MUSTER_DATA_DIR) ${why} [${code}]`);
  }
}
