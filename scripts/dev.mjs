#!/usr/bin/env node
// `npm run dev`: the relay (tsx, restarted on change) and the Vite dev server (hot reload) that proxies `/api` and
// `/sync` (websockets) to it. Ctrl-C, or either process ending, stops both.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const relayPort = process.env.MUSTER_DEV_RELAY_PORT ?? '8787';
const bin = (name) => resolve(root, 'node_modules', '.bin', name);

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
let stopping = false;

function start(name, command, args, env) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
    detached: process.platform !== 'win32',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      // each child leads its own process group: end it with everything it started
      if (process.platform === 'win32') child.kill('SIGTERM');
      else process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('relay', bin('tsx'), ['watch', '--clear-screen=false', 'sync-server/src/main.ts'], {
  MUSTER_PORT: relayPort,
  MUSTER_LOG_LEVEL: process.env.MUSTER_LOG_LEVEL ?? 'info',
  // The dev server seeds the fictional demo city into an empty data dir, as `npm start` does.
  MUSTER_DEMO: process.env.MUSTER_DEMO ?? '1',
});
start('vite', bin('vite'), ['--config', resolve(root, 'vite.config.ts')], { MUSTER_DEV_RELAY_PORT: relayPort });
