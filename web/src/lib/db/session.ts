import { db } from './db.ts';
import type { DirectoryRow, SessionRow } from './schema.ts';

export async function loadSession(): Promise<SessionRow | null> {
  return (await db.session.get('current')) ?? null;
}

export async function saveSession(row: Omit<SessionRow, 'key'>): Promise<SessionRow> {
  const full: SessionRow = { ...row, key: 'current' };
  await db.session.put(full);
  return full;
}

export async function clearSession(): Promise<void> {
  await db.session.delete('current');
}

export async function loadDirectory(): Promise<DirectoryRow | null> {
  return (await db.directory.get('current')) ?? null;
}

export async function saveDirectory(row: Omit<DirectoryRow, 'key'>): Promise<DirectoryRow> {
  const full: DirectoryRow = { ...row, key: 'current' };
  await db.directory.put(full);
  return full;
}
