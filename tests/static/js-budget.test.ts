/**
 * BUDGET-1: the JavaScript the first screen loads (login, group list, inbox, board) stays within 150 KB gzip -9:
 * index.html's module script and modulepreloads and every chunk they import statically, measured on the real files
 * `npm run build` wrote to web/dist (tests/helpers/firstLoad.ts). The pages loaded on demand and the English
 * catalogue are checked to stay out of that set by the sources the chunks' sourcemaps name. `npm test` builds
 * first; run `npm run build` before running this file alone. `npm run bench` prints the same figure per file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoad, htmlEntries, mappedSources, staticImports } from '../helpers/firstLoad.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'web', 'dist');
const BUDGET_KB = 150;
/** Sources of pages and data loaded on demand: none may be part of the first load. */
const ON_DEMAND = [
  'web/src/views/GroupPage.svelte',
  'web/src/views/RecordPage.svelte',
  'web/src/views/ReviewPage.svelte',
  'web/src/views/StatsView.svelte',
  'web/src/views/AuditView.svelte',
  'web/src/views/SettingsView.svelte',
  'web/src/views/NewGroupView.svelte',
  'web/src/components/AssistantPanel.svelte',
  'web/src/lib/state/groupView.svelte.ts',
  'web/src/lib/i18n/en.ts',
  'web/src/lib/i18n/en/',
  'node_modules/uplot/',
];

describe('initial JavaScript budget', () => {
  it('follows the module script, modulepreloads and static imports, never import() (BUDGET-1)', () => {
    const html = `<script type="module" crossorigin src="/assets/a.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/b.js"><link rel="stylesheet" href="/assets/c.css">
      <script src="/legacy.js"></script>`;
    expect(htmlEntries(html)).toEqual(['/assets/a.js', '/assets/b.js']);
    const code = `import{a as b}from"./one.js";import"./two.js";export*from"./three.js";export{c}from"./four.js";
      const s = 'import x from "./not.js"'; const later = () => import("./lazy.js");`;
    expect(staticImports(code)).toEqual(['./one.js', './two.js', './three.js', './four.js']);
  });

  it('loads at most 150 KB gzip before any interaction, pages on demand left out (BUDGET-1)', () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    const files = firstLoad(DIST);
    const sources = files.flatMap((f) => mappedSources(DIST, f.url, ROOT));
    // the first load is the app itself (its list page), not a stub
    expect(sources).toContain('web/src/views/GroupListView.svelte');
    const kb = files.reduce((s, f) => s + f.gzipBytes, 0) / 1024;
    console.log(`first load: ${files.map((f) => f.url).join(', ')}: ${kb.toFixed(1)} KB gzip -9 (budget ${BUDGET_KB})`);
    expect(kb).toBeLessThanOrEqual(BUDGET_KB);
    for (const lazy of ON_DEMAND)
      expect(
        sources.filter((s) => s.includes(lazy)),
        lazy,
      ).toEqual([]);
  });
});
