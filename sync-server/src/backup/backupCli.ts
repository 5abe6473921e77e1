/**
 * `npm run backup -- DIR`: a consistent copy of MUSTER_DATA_DIR (embedded SQLite store) into DIR while the relay
 * runs (BACKUP-1). Exit 0 with a summary, 1 when it could not be taken.
 */
import path from 'node:path';
import { takeBackup } from './backup.ts';

function main(): void {
  const dataDir = path.resolve(process.env['MUSTER_DATA_DIR']?.trim() || './data');
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: npm run backup -- DIR   (copies MUSTER_DATA_DIR, default ./data, into DIR)\n');
    process.exit(2);
  }
  try {
    const keyFile = process.env['MUSTER_AUDIT_KEY_FILE']?.trim();
    const m = takeBackup(dataDir, path.resolve(out), keyFile ? { keyFile: path.resolve(keyFile) } : {});
    process.stdout.write(
      `backup of ${dataDir} in ${path.resolve(out)}: ${Object.keys(m.files).join(', ')}, ${m.photos} photos\n`,
    );
  } catch (error) {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

main();
