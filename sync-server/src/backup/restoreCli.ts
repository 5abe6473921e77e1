/**
 * `npm run restore -- DIR [--verify-only]`: verifies the backup in DIR (BACKUP-2) and, when it passes, puts it in
 * place as MUSTER_DATA_DIR (stop the server first; what the data dir held is moved aside, not deleted).
 * Exit 0 restored (or verified), 1 when the backup does not verify (each problem named), 2 on bad usage.
 */
import path from 'node:path';
import { restoreBackup, verifyBackup } from './restore.ts';

function main(): void {
  const dataDir = path.resolve(process.env['MUSTER_DATA_DIR']?.trim() || './data');
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: npm run restore -- DIR [--verify-only]   (into MUSTER_DATA_DIR, default ./data)\n');
    process.exit(2);
  }
  try {
    if (args.includes('--verify-only')) {
      const v = verifyBackup(path.resolve(dir));
      process.stdout.write(
        `${v.ok ? 'backup verifies' : 'backup does NOT verify'}: ${v.documents} documents, ${v.photos} photos; ${v.audit}\n`,
      );
      for (const p of v.problems) process.stdout.write(`  ${p}\n`);
      process.exit(v.ok ? 0 : 1);
    }
    const r = restoreBackup(path.resolve(dir), dataDir);
    process.stdout.write(
      `restored ${path.resolve(dir)} into ${dataDir}: ${r.verdict.documents} documents, ${r.verdict.photos} photos; ` +
        `${r.verdict.audit}${r.movedAside ? `; the earlier data dir is in ${r.movedAside}` : ''}\n`,
    );
  } catch (error) {
    process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

main();
