import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from './engine.ts';
import { openDatabase } from './schema.ts';
import { prepareStatements } from './statements.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-statements-'));
  dirs.push(dir);
  return path.join(dir, 'muster.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('HIST-5: appending to a document does not read its snapshot', () => {
  it('the sequence query the append path uses selects no blob column', () => {
    const db = openDatabase(tempFile());
    try {
      const s = prepareStatements(db);
      expect(s.docSeqs.columns().map((c) => c.name)).toEqual(['last_seq', 'snapshot_seq']);
    } finally {
      db.close();
    }
  });

  it('appends after a large snapshot keep counting from the right sequence numbers', () => {
    const engine = new SqliteEngine(tempFile());
    try {
      const u = (n: number) => new Uint8Array([n]);
      engine.appendUpdates([{ docName: 'group:h5', updates: [u(1), u(2), u(3)] }]);
      engine.compact('group:h5', new Uint8Array(2_000_000).fill(7), 2);
      const [r] = engine.appendUpdates([{ docName: 'group:h5', updates: [u(4)] }]);
      expect(r).toEqual({ docName: 'group:h5', lastSeq: 4, sinceSnapshot: 2 });
      const loaded = engine.loadDoc('group:h5');
      expect(loaded.snapshotSeq).toBe(2);
      expect(loaded.snapshot?.length).toBe(2_000_000);
      expect(loaded.updates.map((x) => x[0])).toEqual([3, 4]);
    } finally {
      engine.close();
    }
  });
});
