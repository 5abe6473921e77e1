/**
 * PHOTO-6: `npm run migrate:sqlite-to-pg` moves the photo files of a data dir (`photos/ab/cdef…` with their
 * `.groups/<groupId>` markers) into PostgreSQL, checking each file's SHA-256 against its name first, and verifies
 * that every photo and link arrived.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { PgPhotoStore } from './pgPhotoStore.ts';

export interface PhotoMove {
  photos: number;
  links: number;
}

/** Every photo file of the data dir with the groups it was uploaded for. */
function listPhotos(dataDir: string): { hash: string; file: string; groups: string[] }[] {
  const root = path.join(dataDir, 'photos');
  const out: { hash: string; file: string; groups: string[] }[] = [];
  for (const d of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of fs.readdirSync(path.join(root, d))) {
      if (!/^[0-9a-f]{62}$/.test(f)) continue;
      const file = path.join(root, d, f);
      const marks = `${file}.groups`;
      out.push({ hash: d + f, file, groups: fs.existsSync(marks) ? fs.readdirSync(marks) : [] });
    }
  }
  return out;
}

export async function movePhotosToPg(dataDir: string, pool: pg.Pool): Promise<PhotoMove> {
  const store = new PgPhotoStore(pool, dataDir);
  const photos = listPhotos(dataDir);
  let links = 0;
  for (const p of photos) {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(p.file)).digest('hex');
    if (actual !== p.hash) throw new Error(`photo ${p.file}: its bytes do not match its name (damaged)`);
    // A photo without a group marker (an interrupted upload of an older version) is moved unlinked.
    if (p.groups.length === 0) {
      const bytes = fs.readFileSync(p.file);
      await pool.query(
        'INSERT INTO photos (hash, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING',
        [p.hash, bytes.length, bytes, Date.now()],
      );
    }
    for (const g of p.groups) {
      await store.put(p.hash, p.file, g);
      links++;
    }
  }
  const held = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM photos')).rows[0]!.n);
  const linked = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM photo_groups')).rows[0]!.n);
  if (held !== photos.length || linked !== links) {
    throw new Error(`photos: ${photos.length} files and ${links} links, ${held} and ${linked} in PostgreSQL`);
  }
  return { photos: photos.length, links };
}
