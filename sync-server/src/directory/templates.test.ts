import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { Directory } from '@muster/core';
import { readDirectoryFile } from './demoDirectory.ts';
import { DEMO_TEMPLATES_FILE, TemplatesError, checkTemplates, loadTemplates } from './templates.ts';

const directory = new Directory(readDirectoryFile());

describe('server templates', () => {
  it('TPL-1: the demo templates load against the demo directory', () => {
    const templates = loadTemplates(directory);
    expect(templates.map((t) => t.incidentType)).toContain('assault');
  });

  it('TPL-3: a template naming a post that does not exist is refused, naming it', () => {
    const raw = JSON.parse(fs.readFileSync(DEMO_TEMPLATES_FILE, 'utf8')) as { templates: { posts: unknown[] }[] };
    raw.templates[0]!.posts.push({ postId: 'p-nowhere' });
    expect(() => checkTemplates(raw, directory, 'templates.json')).toThrow(TemplatesError);
    expect(() => checkTemplates(raw, directory, 'templates.json')).toThrow(/p-nowhere/);
  });

  it('TPL-3: one malformed template refuses the file', () => {
    expect(() => checkTemplates({ templates: [{ id: 'x' }] }, directory, 't.json')).toThrow(/template "x"/);
  });
});
