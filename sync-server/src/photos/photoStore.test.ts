/** PHOTO-6: one contract for every photo store: the files of the embedded store and PostgreSQL rows. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../store/pgStore.ts';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../store/pg/testSchema.ts';
import { FsPhotoStore } from './photoStore.ts';
import type { PhotoStore } from './photoStore.ts';
import { PgPhotoStore } from './pgPhotoStore.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-photos-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function upload(store: PhotoStore, bytes: Buffer, groupId: string): Promise<{ hash: string; created: boolean }> {
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  const tmp = await store.tempFile(hash, crypto.randomBytes(4).toString('hex'));
  fs.writeFileSync(tmp, bytes);
  const created = await store.put(hash, tmp, groupId);
  fs.rmSync(tmp, { force: true });
  return { hash, created };
}

async function readAll(store: PhotoStore, hash: string): Promise<Buffer | null> {
  const photo = await store.read(hash);
  if (!photo) return null;
  const chunks: Buffer[] = [];
  for await (const c of photo.open()) chunks.push(c as Buffer);
  await photo.close();
  const all = Buffer.concat(chunks);
  expect(all.length).toBe(photo.size);
  expect(photo.head.equals(all.subarray(0, 16))).toBe(true);
  return all;
}

const stores: [string, () => Promise<PhotoStore>][] = [
  ['files', async () => new FsPhotoStore(tempDir())],
  [
    'postgresql',
    async () => {
      const schema = uniqueSchema('photos');
      const pgStore = openPgStore({ url: TEST_PG_URL, schema });
      await pgStore.ready();
      cleanups.push(async () => {
        await pgStore.close();
        await dropSchema(schema);
      });
      return new PgPhotoStore(pgStore.pool, tempDir());
    },
  ],
];

describe.each(stores)('PhotoStore contract: %s', (_name, make) => {
  it('PHOTO-6: keeps the bytes once, links each group it was uploaded for, and serves them whole', async () => {
    const store = await make();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(300_000)]);
    const first = await upload(store, jpeg, 'grp-a');
    expect(first.created).toBe(true);
    expect(await store.linked(first.hash, 'grp-a')).toBe(true);
    expect(await store.linked(first.hash, 'grp-b')).toBe(false);
    expect((await readAll(store, first.hash))?.equals(jpeg)).toBe(true);

    // The same bytes again, for another group: not rewritten, linked to both.
    const again = await upload(store, jpeg, 'grp-b');
    expect(again).toEqual({ hash: first.hash, created: false });
    expect(await store.linked(first.hash, 'grp-a')).toBe(true);
    expect(await store.linked(first.hash, 'grp-b')).toBe(true);

    const other = crypto.createHash('sha256').update('not stored').digest('hex');
    expect(await store.read(other)).toBeNull();
    expect(await store.linked(other, 'grp-a')).toBe(false);
  });
});
