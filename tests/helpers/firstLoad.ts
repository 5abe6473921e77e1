/**
 * BUDGET-1: the JavaScript a built app loads before any interaction: index.html's module script and modulepreloads
 * and every chunk they import statically, followed through the real files of the build (parsed with Vite's own
 * parser, so a string that looks like an import is not one, and `import()` is not followed). Used by the static
 * budget test and the bench.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAst } from 'vite';

export interface FirstLoadFile {
  /** URL from the app's root, e.g. `/assets/index-abc.js`. */
  url: string;
  bytes: number;
  gzipBytes: number;
}

/** `/assets/x.js` → the file in `dist`. */
export function distPath(dist: string, url: string): string {
  const path = join(dist, decodeURIComponent(url.replace(/^\//, '').split(/[?#]/)[0]!));
  if (!path.startsWith(dist) || !existsSync(path)) throw new Error(`${dist} has no ${url}`);
  return path;
}

/** The module scripts and modulepreloads of an HTML page, in order. */
export function htmlEntries(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isModule = /^<script\b/.test(tag) && /\btype=["']?module\b/.test(tag);
    const isPreload = /^<link\b/.test(tag) && /\brel=["']?modulepreload\b/.test(tag);
    const url = /\b(?:src|href)=["']?([^"' >]+)/.exec(tag)?.[1];
    if ((isModule || isPreload) && url && !urls.includes(url)) urls.push(url);
  }
  return urls;
}

/** The specifiers a module imports statically (`import … from`, `import '…'`, `export … from`); never `import()`. */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const node of parseAst(code).body) {
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration') out.push(String(node.source.value));
    else if (node.type === 'ExportNamedDeclaration' && node.source) out.push(String(node.source.value));
  }
  return out;
}

/** Every JavaScript file of the first load of the app built into `dist`, each with its raw and gzip -9 size. */
export function firstLoad(dist: string): FirstLoadFile[] {
  const entries = htmlEntries(readFileSync(join(dist, 'index.html'), 'utf8'));
  if (entries.length === 0) throw new Error(`${dist}/index.html references no module script`);
  const seen = new Set<string>();
  const files: FirstLoadFile[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const buf = readFileSync(distPath(dist, url));
    files.push({ url, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length });
    for (const spec of staticImports(buf.toString('utf8'))) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) throw new Error(`${url} imports the bare specifier ${spec}`);
      queue.push(spec.startsWith('/') ? spec : posix.join(posix.dirname(url), spec));
    }
  }
  return files;
}

/** The source files (relative to `root`) the sourcemap of a built file names. */
export function mappedSources(dist: string, url: string, root: string): string[] {
  const path = distPath(dist, url);
  const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as { sources: string[]; sourceRoot?: string };
  const base = resolve(dirname(path), map.sourceRoot ?? '');
  return map.sources.map((s) => relative(root, resolve(base, s)).split(sep).join('/'));
}
