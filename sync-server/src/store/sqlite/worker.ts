/**
 * The SQLite writer thread: owns the one connection and runs the store's operations in the order they were sent,
 * so the relay's event loop never waits for a commit (fsync). Group commit: the operations that queued up while
 * the previous commit ran go into ONE transaction, each in its own savepoint (a failing one is rolled back alone
 * and answered with its error); every answer is sent only after that transaction committed, so nothing is
 * reported written (and no acknowledgement goes out) before it is durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OP_KINDS, SqliteEngine } from './engine.ts';
import type { StoreOps } from './engine.ts';
import { serializeError } from './wire.ts';
import type { Reply, Request, WorkerData } from './wire.ts';

const port = parentPort!;
let engine: SqliteEngine | null = null;
let unusable: Error | null = null;
try {
  engine = new SqliteEngine((workerData as WorkerData).file);
} catch (error) {
  unusable = error instanceof Error ? error : new Error(String(error));
}

const queue: Request[] = [];
let scheduled = false;

port.on('message', (request: Request) => {
  queue.push(request);
  if (scheduled) return;
  scheduled = true;
  // After every message that has arrived meanwhile was queued.
  setImmediate(drain);
});

function drain(): void {
  scheduled = false;
  const batch = queue.splice(0);
  let run: Request[] = [];
  for (const request of batch) {
    if (request.op !== 'close') {
      run.push(request);
      continue;
    }
    execute(run);
    run = [];
    const replies: Reply[] = [{ id: request.id, ok: true, value: undefined }];
    try {
      engine?.close();
    } catch (error) {
      replies[0] = { id: request.id, ok: false, error: serializeError(error) };
    }
    engine = null;
    unusable ??= new Error('store is closed');
    port.postMessage(replies);
  }
  execute(run);
}

type Op = keyof StoreOps;
const call = (e: SqliteEngine, op: Op, args: unknown[]): unknown =>
  (e[op] as (...a: unknown[]) => unknown).apply(e, args);

function execute(run: Request[]): void {
  if (run.length === 0) return;
  const replies: Reply[] = [];
  if (!engine) {
    const error = serializeError(unusable);
    for (const r of run) replies.push({ id: r.id, ok: false, error });
    port.postMessage(replies);
    return;
  }
  const e = engine;
  const db = e.db;
  const writes = run.some((r) => OP_KINDS[r.op as Op] === 'write');
  try {
    if (writes) db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    const err = serializeError(error);
    port.postMessage(run.map((r): Reply => ({ id: r.id, ok: false, error: err })));
    return;
  }
  for (const r of run) {
    const op = r.op as Op;
    if (!(op in OP_KINDS)) {
      replies.push({ id: r.id, ok: false, error: serializeError(new Error(`unknown store operation ${r.op}`)) });
      continue;
    }
    if (!writes || OP_KINDS[op] === 'read') {
      try {
        replies.push({ id: r.id, ok: true, value: call(e, op, r.args) });
      } catch (error) {
        replies.push({ id: r.id, ok: false, error: serializeError(error) });
      }
      continue;
    }
    // Each write is atomic on its own: a failure undoes just its savepoint.
    db.exec('SAVEPOINT op');
    try {
      const value = call(e, op, r.args);
      db.exec('RELEASE op');
      replies.push({ id: r.id, ok: true, value });
    } catch (error) {
      if (!db.inTransaction) {
        // SQLite gave up the whole transaction (I/O error, disk full): nothing of this batch is written.
        const err = serializeError(error);
        port.postMessage(run.map((x): Reply => ({ id: x.id, ok: false, error: err })));
        return;
      }
      db.exec('ROLLBACK TO op');
      db.exec('RELEASE op');
      replies.push({ id: r.id, ok: false, error: serializeError(error) });
    }
  }
  if (writes) {
    try {
      db.exec('COMMIT');
    } catch (error) {
      // Nothing of this batch is durable: every operation in it failed, reads included (they saw its writes).
      if (db.inTransaction) db.exec('ROLLBACK');
      const err = serializeError(error);
      port.postMessage(run.map((r): Reply => ({ id: r.id, ok: false, error: err })));
      return;
    }
  }
  port.postMessage(replies);
}
