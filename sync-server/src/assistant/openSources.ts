/**
 * ASSIST-5/ASSIST-9: the sources a server starts with: the fictional demo sources (demo starts; their data is
 * generated in the background at the first start, so the relay serves at once and questions wait for it) and the
 * HTTP JSON sources of `MUSTER_LOOKUP_SOURCES`.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError } from '../config.ts';
import type { Config } from '../config.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { generateDemoLookupData } from './demoLookupData.ts';
import { demoSources } from './demoSources.ts';
import { HttpSource } from './httpSource.ts';
import type { HttpSourceConfig } from './httpSource.ts';
import type { Source } from './source.ts';

export interface OpenedSources {
  sources: Promise<Source[]>;
  /** Stops a generation under way (questions waiting for it get no demo sources). */
  stop(): void;
  close(): Promise<void>;
}

/**
 * ASSIST-5: the HTTP JSON sources of `MUSTER_LOOKUP_SOURCES`, read and checked at start, before anything is opened:
 * a file that cannot be read, is not JSON, or holds a source that is not valid (or an id twice) is a ConfigError
 * naming the variable, the file and the problem, so the server refuses to start and nothing is touched.
 */
export function readHttpSources(file: string, reserved: readonly string[] = []): HttpSource[] {
  const fail = (what: string): never => {
    throw new ConfigError(`MUSTER_LOOKUP_SOURCES (${file}): ${what}`);
  };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? errorText(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON: ${errorText(error)}`);
  }
  if (!Array.isArray(raw)) return fail('expected a JSON array of HTTP sources');
  const seen = new Set(reserved);
  return raw.map((c: unknown, i) => {
    let source: HttpSource | null = null;
    try {
      source = new HttpSource(c as HttpSourceConfig);
    } catch (error) {
      fail(`source ${i + 1}: ${errorText(error)}`);
    }
    if (seen.has(source!.info.id)) fail(`source ${i + 1}: the id ${source!.info.id} is taken`);
    seen.add(source!.info.id);
    return source!;
  });
}

/**
 * Opens the look-up sources: `http` are the checked sources of `MUSTER_LOOKUP_SOURCES` (readHttpSources, read
 * before the store opens), the demo sources come in the background.
 */
export function openSources(config: Config, log: Logger, http: readonly Source[] = []): OpenedSources {
  let db: Database.Database | null = null;
  const stop = new AbortController();
  const scale = config.lookup.demoScale;
  const sources = (async (): Promise<Source[]> => {
    if (!config.demo || scale <= 0) return [...http];
    const t0 = Date.now();
    try {
      const file = await generateDemoLookupData(config.dataDir, scale, { signal: stop.signal });
      db = new Database(file, { readonly: true, fileMustExist: true });
      log.info('look-up demo sources ready', { ms: Date.now() - t0, scale });
      return [...demoSources(db), ...http];
    } catch (error) {
      log.error('look-up demo data could not be prepared', { error: errorText(error) });
      return [...http];
    }
  })();
  return {
    sources,
    stop: () => stop.abort(),
    close: async () => {
      stop.abort();
      await sources.catch(() => []);
      db?.close();
    },
  };
}
