#!/usr/bin/env node
/**
 * Runs test files again and again while busy workers keep every core saturated, to find what passes only on a quiet
 * machine (the brief: a test that passes only when the machine is quiet hides a bug). Prints each run's result and a
 * summary; exits 1 if any run failed.
 *
 *   node scripts/stress.mjs --runs 20 [--workers N] tests/e2e/token-renewal.test.ts tests/e2e/offline-loop.test.ts
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
let runs = 20;
let workers = os.availableParallelism();
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--workers') workers = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length || !(runs > 0) || !(workers >= 0)) {
  console.error('usage: node scripts/stress.mjs --runs N [--workers N] FILE...');
  process.exit(2);
}

// Busy workers: each spins on a core until the runs end.
const busy = [];
for (let i = 0; i < workers; i++) {
  busy.push(new Worker('for (;;) { Math.sqrt(Math.random()); }', { eval: true }));
}

let failed = 0;
const started = Date.now();
for (let r = 1; r <= runs; r++) {
  const t0 = Date.now();
  const res = spawnSync('npx', ['vitest', 'run', ...files], { encoding: 'utf8', env: process.env });
  const ok = res.status === 0;
  if (!ok) {
    failed++;
    const tail = `${res.stdout}${res.stderr}`
      .split('\n')
      .filter((l) => /FAIL|Error|×/.test(l))
      .slice(0, 8);
    console.log(tail.join('\n'));
  }
  console.log(
    `run ${r}/${runs}: ${ok ? 'pass' : 'FAIL'} in ${((Date.now() - t0) / 1000).toFixed(1)} s (load ${os.loadavg()[0].toFixed(1)})`,
  );
}
for (const w of busy) await w.terminate();
console.log(
  `stress: ${runs - failed}/${runs} runs passed with ${workers} busy workers on ${os.availableParallelism()} cores, ` +
    `${((Date.now() - started) / 60000).toFixed(1)} min`,
);
process.exit(failed ? 1 : 0);
