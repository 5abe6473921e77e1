/**
 * PHOTO-6 on PostgreSQL: photo bytes in the shared database (table `photos`, a photo's groups in `photo_groups`,
 * migration 5), so a photo uploaded through one relay node is served by every other. A photo is at most
 * `maxPhotoBytes` (10 MB by default), so it travels as one BYTEA value; uploads are first written to a temp file in
 * the node's data dir, as on the embedded store.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { PhotoStore, StoredPhoto } from './photoStore.ts';
import { PHOTO_HASH } from './photoStore.ts';

export class PgPhotoStore implements PhotoStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly dataDir: string,
  ) {}

  async tempFile(hash: string, unique: string): Promise<string> {
    const dir = path.join(this.dataDir, 'photos', '.uploads');
    await fs.mkdir(dir, { recursive: true });
    return path.join(dir, `.${hash.slice(2)}.${unique}.tmp`);
  }

  async put(hash: string, tempFile: string, groupId: string): Promise<boolean> {
    if (!PHOTO_HASH.test(hash)) throw new Error('not a photo hash');
    const bytes = await fs.readFile(tempFile);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        'INSERT INTO photos (hash, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING',
        [hash, bytes.length, bytes, Date.now()],
      );
      await client.query(
        'INSERT INTO photo_groups (hash, group_id) VALUES ($1, $2) ON CONFLICT (hash, group_id) DO NOTHING',
        [hash, groupId],
      );
      await client.query('COMMIT');
      return inserted.rowCount === 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async linked(hash: string, groupId: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM photo_groups WHERE hash = $1 AND group_id = $2', [hash, groupId]);
    return r.rowCount === 1;
  }

  async read(hash: string): Promise<StoredPhoto | null> {
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM photos WHERE hash = $1', [hash]);
    const bytes = r.rows[0]?.bytes;
    if (!bytes) return null;
    return {
      size: bytes.length,
      head: bytes.subarray(0, 16),
      open: () => Readable.from([bytes]),
      close: async () => {},
    };
  }
}
