/**
 * Starts the Muster server: `tsx sync-server/src/main.ts [--demo]` (configuration from MUSTER_* environment
 * variables; `--demo` seeds the fictional demo city into an empty data dir, SAFE-1).
 */
import { ConfigError, loadConfig } from './config.ts';
import { DataDirError } from './dataDir.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.cwd(), process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Muster: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { error: reason instanceof Error ? reason.stack : String(reason) });
  });
  const running = await startServer({ config, log });
  process.stdout.write(`Muster listening on http://localhost:${running.port}\n`);
  process.stdout.write(`Data: ${config.dataDir}\n`);
  log.info('started', { host: config.host, port: running.port, clock: config.clock, static: config.staticDir });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn('second signal; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('stopping', { signal });
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  // HTTP-4: a data folder that cannot be written is said in one line, without a stack trace
  if (error instanceof DataDirError) {
    process.stderr.write(`Muster failed to start: ${error.message}\n`);
    process.exit(1);
  }
  // ASSIST-5: so is a configuration file found bad at start (MUSTER_LOOKUP_SOURCES), before anything was opened
  if (error instanceof ConfigError) {
    process.stderr.write(`Muster: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `Muster failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
