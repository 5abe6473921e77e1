import { describe, expect, it } from 'vitest';
import { scaledSize, sha256Hex } from './prepare.ts';

describe('photo preparation', () => {
  it('PHOTO-1: scales the long edge to at most 1600 px and never enlarges', () => {
    expect(scaledSize(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(scaledSize(3000, 4000)).toEqual({ width: 1200, height: 1600 });
    expect(scaledSize(800, 600)).toEqual({ width: 800, height: 600 });
  });

  it('PHOTO-1: names bytes by their lowercase hex SHA-256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc') as Uint8Array<ArrayBuffer>)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
