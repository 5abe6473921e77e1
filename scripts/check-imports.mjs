#!/usr/bin/env node
// Checks the layering of docs/ARCHITECTURE.md: who may import whom, and no import cycles between files.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const rules = [
  { dir: 'packages/protocol/src', allow: [/^lib0(\/|$)/, /^y-protocols(\/|$)/, /^yjs$/, /^vitest$/] },
  { dir: 'packages/core/src', allow: [/^yjs$/, /^@muster\/protocol$/, /^vitest$/] },
  { dir: 'web/src', deny: [/^@muster\/sync-server/, /sync-server\//] },
  { dir: 'sync-server/src', deny: [/^@muster\/web/, /(^|\/)web\/src\//] },
];

const files = [];
function walk(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|svelte|mjs|js)$/.test(name)) files.push(p);
  }
}
for (const d of ['packages', 'sync-server/src', 'web/src']) walk(join(root, d));

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
const graph = new Map();
for (const file of files) {
  const rel = relative(root, file);
  const src = readFileSync(file, 'utf8');
  const edges = [];
  for (const m of src.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec) continue;
    if (spec.startsWith('.')) {
      let target = resolve(dirname(file), spec);
      if (!existsSync(target) && existsSync(target + '.ts')) target += '.ts';
      edges.push(target);
    }
    for (const rule of rules) {
      if (!rel.startsWith(rule.dir)) continue;
      const isRelative = spec.startsWith('.');
      if (rule.allow && !isRelative && !rule.allow.some((re) => re.test(spec))) {
        problems.push(`${rel}: imports '${spec}', not allowed in ${rule.dir}`);
      }
      if (rule.deny && rule.deny.some((re) => re.test(spec))) problems.push(`${rel}: may not import '${spec}'`);
      if (isRelative && !resolve(dirname(file), spec).startsWith(join(root, rule.dir.split('/src')[0]))) {
        problems.push(`${rel}: relative import '${spec}' leaves its package`);
      }
    }
  }
  graph.set(file, edges);
}

// Cycle detection (iterative DFS with colours).
const colour = new Map();
function visit(start) {
  const stack = [[start, 0]];
  const path = [start];
  colour.set(start, 1);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const edges = graph.get(top[0]) ?? [];
    if (top[1] >= edges.length) {
      colour.set(top[0], 2);
      stack.pop();
      path.pop();
      continue;
    }
    const next = edges[top[1]++];
    if (!graph.has(next)) continue;
    const c = colour.get(next) ?? 0;
    if (c === 1) {
      const cycle = path.slice(path.indexOf(next)).concat(next);
      problems.push(`import cycle: ${cycle.map((f) => relative(root, f)).join(' -> ')}`);
    } else if (c === 0) {
      colour.set(next, 1);
      stack.push([next, 0]);
      path.push(next);
    }
  }
}
for (const f of graph.keys()) if (!colour.get(f)) visit(f);

if (problems.length) {
  console.error(`check-imports: ${problems.length} problem(s)`);
  for (const p of problems) console.error('  ' + p);
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, layering respected, no cycles`);
