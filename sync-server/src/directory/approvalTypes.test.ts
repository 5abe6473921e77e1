import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_APPROVAL_TYPES } from '@muster/core';
import { ApprovalTypesError, checkApprovalTypes, loadApprovalTypes } from './approvalTypes.ts';

describe('server approval types', () => {
  it('APR-1: the demo approval types load and equal the defaults', () => {
    expect(loadApprovalTypes()).toEqual(DEFAULT_APPROVAL_TYPES);
  });

  it('APR-1: a malformed type refuses the file, naming the type and field', () => {
    const bad = { types: [{ id: 'x', name: '甲', nameEn: 'X', fields: [{ name: 'f', label: 'F', labelEn: 'F' }] }] };
    expect(() => checkApprovalTypes(bad, 'a.json')).toThrow(ApprovalTypesError);
    expect(() => checkApprovalTypes(bad, 'a.json')).toThrow(/type 0 "x" fields\[0\]\.type/);
  });

  it('APR-1: a file that is not JSON refuses start-up, naming the file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apr-')), 'types.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadApprovalTypes(file)).toThrow(/approval types .*types\.json/);
  });
});
