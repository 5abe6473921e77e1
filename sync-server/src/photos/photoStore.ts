/**
 * PHOTO-6: where photo bytes live, behind one interface. The upload handler (http/photos.ts) streams a body into a
 * temp file, checks its size, type and SHA-256, then hands the verified file to a store:
 *  - `FsPhotoStore` (the embedded default): content-addressed files under `<dataDir>/photos/ab/cdef…`, the groups a
 *    photo was uploaded for as empty marker files `<hash>.groups/<groupId>`.
 *  - `PgPhotoStore` (SCALE-1 deployments): rows in the shared PostgreSQL, so every relay node serves every photo.
 * Photos are only ever added; a store never rewrites one it holds.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export const PHOTO_HASH = /^[0-9a-f]{64}$/;

export interface StoredPhoto {
  size: number;
  /** The first bytes (at most 16), to name the image type. */
  head: Buffer;
  /** The bytes, from the start. */
  open(): Readable;
  /** Releases what `open` did not consume (a HEAD request, an error). */
  close(): Promise<void>;
}

export interface PhotoStore {
  /** A temp file for an upload of `hash`, on a filesystem from which `put` can take it. */
  tempFile(hash: string, unique: string): Promise<string>;
  /** Keeps the verified bytes in `tempFile` (unless held already) for `groupId`; resolves true when new. */
  put(hash: string, tempFile: string, groupId: string): Promise<boolean>;
  /** True when the photo was uploaded for the group. */
  linked(hash: string, groupId: string): Promise<boolean>;
  /** The photo, or null when it is not held. */
  read(hash: string): Promise<StoredPhoto | null>;
}

/** The file of a photo in a data dir (throws on anything but 64 hex digits). */
export function photoPath(dataDir: string, hash: string): string {
  if (!PHOTO_HASH.test(hash)) throw new Error('not a photo hash');
  return path.join(dataDir, 'photos', hash.slice(0, 2), hash.slice(2));
}

export class FsPhotoStore implements PhotoStore {
  constructor(private readonly dataDir: string) {}

  async tempFile(hash: string, unique: string): Promise<string> {
    const dir = path.dirname(photoPath(this.dataDir, hash));
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, `.${hash.slice(2)}.${unique}.tmp`);
  }

  async put(hash: string, tempFile: string, groupId: string): Promise<boolean> {
    const file = photoPath(this.dataDir, hash);
    let created = false;
    if (!fs.existsSync(file)) {
      const fd = await fsp.open(tempFile, 'r+');
      await fd.sync();
      await fd.close();
      await fsp.rename(tempFile, file);
      created = true;
    }
    await fsp.mkdir(`${file}.groups`, { recursive: true });
    await fsp.writeFile(path.join(`${file}.groups`, groupId), '');
    return created;
  }

  async linked(hash: string, groupId: string): Promise<boolean> {
    return fs.existsSync(path.join(`${photoPath(this.dataDir, hash)}.groups`, groupId));
  }

  async read(hash: string): Promise<StoredPhoto | null> {
    let fd: fsp.FileHandle;
    try {
      fd = await fsp.open(photoPath(this.dataDir, hash), 'r');
    } catch {
      return null;
    }
    try {
      const { size } = await fd.stat();
      const head = Buffer.alloc(Math.min(16, size));
      await fd.read(head, 0, head.length, 0);
      let closed = false;
      return {
        size,
        head,
        open: () => {
          closed = true;
          return fd.createReadStream({ start: 0, autoClose: true });
        },
        close: async () => {
          if (!closed) await fd.close();
        },
      };
    } catch (error) {
      await fd.close();
      throw error;
    }
  }
}
