/**
 * ASSIST-5/ASSIST-9: the sources a server starts with: the fictional demo sources (demo starts; their data is
 * generated in the background at the first start, so the relay serves at once and questions wait for it) and the
 * HTTP JSON sources of `MUSTER_LOOKUP_SOURCES`.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
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

export function readHttpSources(file: string): HttpSource[] {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array of HTTP sources`);
  return raw.map((c) => new HttpSource(c as HttpSourceConfig));
}

export function openSources(config: Config, log: Logger): OpenedSources {
  let db: Database.Database | null = null;
  const stop = new AbortController();
  const http = config.lookup.sourcesFile ? readHttpSources(config.lookup.sourcesFile) : [];
  const scale = config.lookup.demoScale;
  const sources = (async (): Promise<Source[]> => {
    if (!config.demo || scale <= 0) return http;
    const t0 = Date.now();
    try {
      const file = await generateDemoLookupData(config.dataDir, scale, { signal: stop.signal });
      db = new Database(file, { readonly: true, fileMustExist: true });
      log.info('look-up demo sources ready', { ms: Date.now() - t0, scale });
      return [...demoSources(db), ...http];
    } catch (error) {
      log.error('look-up demo data could not be prepared', { error: errorText(error) });
      return http;
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
