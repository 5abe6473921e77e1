/**
 * APR-1: the approval types the server serves (`GET /api/approval-types`), validated as a whole at start-up: a type
 * or field that is not well formed stops the server with a message naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApprovalTypes } from '@muster/core';
import type { ApprovalType, ApprovalTypeError } from '@muster/core';

export const DEMO_APPROVAL_TYPES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/core/demo/approval-types.json',
);

export class ApprovalTypesError extends Error {
  constructor(file: string, errors: readonly ApprovalTypeError[]) {
    super(
      `approval types ${file}: ` +
        errors.map((e) => `${e.index >= 0 ? `type ${e.index} "${e.typeId}" ` : ''}${e.field}: ${e.message}`).join('; '),
    );
    this.name = 'ApprovalTypesError';
  }
}

export function checkApprovalTypes(value: unknown, file: string): ApprovalType[] {
  const parsed = parseApprovalTypes(value);
  if (!parsed.ok) throw new ApprovalTypesError(file, parsed.errors);
  return parsed.types;
}

export function loadApprovalTypes(file = DEMO_APPROVAL_TYPES_FILE): ApprovalType[] {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`approval types ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkApprovalTypes(value, file);
}
