/** Messages between the store and its SQLite writer thread. */

export interface WorkerData {
  file: string;
}

/** One store operation (`op` is a Store method, or `close`). */
export interface Request {
  id: number;
  op: string;
  args: unknown[];
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/** The thread answers in batches: one array per commit. */
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function deserializeError(e: SerializedError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  if (e.code !== undefined) (error as Error & { code?: string }).code = e.code;
  return error;
}
