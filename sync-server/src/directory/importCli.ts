/**
 * `npm run directory:import -- FILE`: replaces the directory in the data dir (MUSTER_DATA_DIR, default ./data) with
 * a JSON or CSV file (by extension), validated with core's importer (DIR-1/DIR-2) and written in ONE SQLite
 * transaction: all or nothing. Errors print as `file:line field: message`, exit code 1. Persons already stored keep
 * their password; new persons get MUSTER_INITIAL_PASSWORD, or cannot log in until one is set. Restart a running
 * server afterwards.
 */
import { loadConfig } from '../config.ts';
import { openSqliteStore } from '../store/sqliteStore.ts';
import { DirectoryFileError, personRecordsOf, readDirectoryFile, storeDirectoryOf } from './demoDirectory.ts';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npm run directory:import -- FILE.json|FILE.csv\n');
    return 2;
  }
  let data;
  try {
    data = readDirectoryFile(file);
  } catch (error) {
    if (error instanceof DirectoryFileError) {
      process.stderr.write(error.message + '\n');
      process.stderr.write(`${error.errors.length} error(s); nothing was imported.\n`);
      return 1;
    }
    throw error;
  }
  const config = loadConfig();
  const store = openSqliteStore(config.dataDir);
  try {
    const existing = new Map((await store.listPersons()).map((p) => [p.id, p]));
    const persons = await personRecordsOf(data, existing, process.env['MUSTER_INITIAL_PASSWORD'] || null);
    await store.replaceDirectory(storeDirectoryOf(data), persons);
    process.stdout.write(
      `imported ${data.units.length} units, ${data.posts.length} posts, ${data.persons.length} persons, ` +
        `${data.onDuty.length} on duty into ${config.dataDir}\n`,
    );
  } finally {
    await store.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`directory import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
