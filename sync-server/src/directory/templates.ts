/**
 * TPL-1/TPL-3: the group templates the server serves (`GET /api/templates`), validated as a whole at start-up
 * against the directory: a template naming a post or unit that does not exist stops the server with a message
 * naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplates } from '@muster/core';
import type { Directory, GroupTemplate, TemplateError } from '@muster/core';

export const DEMO_TEMPLATES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/core/demo/templates.json',
);

export class TemplatesError extends Error {
  constructor(file: string, errors: readonly TemplateError[]) {
    super(
      `templates ${file}: ` +
        errors
          .map((e) => `template "${e.templateId}"${e.entry >= 0 ? ` post entry ${e.entry}` : ''}: ${e.message}`)
          .join('; '),
    );
    this.name = 'TemplatesError';
  }
}

/** Validates templates (TPL-3) and the fixed posts and units they name against the directory. */
export function checkTemplates(value: unknown, directory: Directory, file: string): GroupTemplate[] {
  const parsed = parseTemplates(value);
  if (!parsed.ok) throw new TemplatesError(file, parsed.errors);
  const errors: TemplateError[] = [];
  for (const t of parsed.templates) {
    t.posts.forEach((spec, entry) => {
      if ('postId' in spec && !directory.post(spec.postId)) {
        errors.push({ templateId: t.id, entry, message: `post "${spec.postId}" does not exist in the directory` });
      } else if ('unitId' in spec && !directory.unit(spec.unitId)) {
        errors.push({ templateId: t.id, entry, message: `unit "${spec.unitId}" does not exist in the directory` });
      }
    });
  }
  if (errors.length) throw new TemplatesError(file, errors);
  return parsed.templates;
}

export function loadTemplates(directory: Directory, file = DEMO_TEMPLATES_FILE): GroupTemplate[] {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`templates ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkTemplates(value, directory, file);
}
