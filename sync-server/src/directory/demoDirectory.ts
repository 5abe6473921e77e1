/**
 * The directory file the server seeds into an empty data dir: by default the fictional demo city of
 * `packages/core/demo/city.json` (units, posts, persons, on-duty rows), read with core's importer (DIR-1/DIR-2).
 * Every demo person gets the demo password (one scrypt hash, shared: it is a published demo password).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDirectoryCsv, parseDirectoryJson } from './directoryFile.ts';
import type { DirectoryData, ImportError } from '@muster/core';
import { hashPassword } from '../auth/passwords.ts';
import type { Logger } from '../log.ts';
import type { Directory, PersonRecord, Store } from '../store/store.ts';

export const DEMO_DIRECTORY_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/core/demo/city.json',
);

/** Password of every demo login. */
export const DEMO_PASSWORD = 'muster-demo';

export class DirectoryFileError extends Error {
  readonly errors: ImportError[];
  constructor(errors: ImportError[]) {
    super(errors.map(formatImportError).join('\n'));
    this.name = 'DirectoryFileError';
    this.errors = errors;
  }
}

/** `file:line field: message` */
export function formatImportError(e: ImportError): string {
  return `${e.file}:${e.line} ${e.field}: ${e.message}`;
}

/** Parses directory text, JSON or CSV by the file's extension (DIR-1); all or nothing (DIR-2). */
export function parseDirectoryText(text: string, fileName: string): DirectoryData {
  const r = /\.csv$/i.test(fileName) ? parseDirectoryCsv(text, fileName) : parseDirectoryJson(text, fileName);
  if (!r.ok) throw new DirectoryFileError(r.errors);
  return r.directory;
}

export function readDirectoryFile(file = DEMO_DIRECTORY_FILE): DirectoryData {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DirectoryFileError([
      { file, line: 1, field: 'file', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  return parseDirectoryText(text, file);
}

/** The store's form of a directory (persons apart, with their password hashes). */
export function storeDirectoryOf(d: DirectoryData): Directory {
  return {
    units: d.units.map((u) => ({ ...u })),
    posts: d.posts.map((p) => ({ ...p, capabilities: [...p.capabilities] })),
    onDuty: d.onDuty.map((o) => ({ ...o })),
  };
}

/**
 * Persons with password hashes: a person already stored (same id) keeps their hash; others get `password`'s hash,
 * or none that can match when `password` is null (they cannot log in until one is set).
 */
export async function personRecordsOf(
  d: DirectoryData,
  existing: ReadonlyMap<string, PersonRecord>,
  password: string | null,
): Promise<PersonRecord[]> {
  const fresh = password === null ? 'disabled' : await hashPassword(password);
  return d.persons.map((p) => ({
    id: p.id,
    name: p.name,
    policeNo: p.policeNo,
    unitId: p.unitId,
    roles: [...p.roles],
    postIds: [...p.postIds],
    passwordHash: existing.get(p.id)?.passwordHash ?? fresh,
  }));
}

/** Seeds the store from the directory when it has no person yet. Resolves true when it seeded. */
export async function seedDirectory(
  store: Store,
  directory: DirectoryData,
  log: Logger,
  password = DEMO_PASSWORD,
): Promise<boolean> {
  if ((await store.countPersons()) > 0) return false;
  const persons = await personRecordsOf(directory, new Map(), password);
  const seeded = await store.seedDirectory(storeDirectoryOf(directory), persons);
  if (seeded) log.info('seeded the directory', { units: directory.units.length, persons: persons.length });
  return seeded;
}
