/**
 * PHOTO-1 on the device: a camera photo is downscaled (long edge ≤ 1600 px, JPEG quality 0.8) and named by the
 * SHA-256 of the resulting bytes, so an upload that is restarted can never make a duplicate.
 */
import type { PhotoRef } from '@muster/core';

export const MAX_EDGE = 1600;
export const JPEG_QUALITY = 0.8;

export interface PreparedPhoto {
  ref: PhotoRef;
  blob: Blob;
}

/** Lowercase hex SHA-256; WebCrypto where the page is a secure context, else lib0's implementation. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  let digest: Uint8Array;
  if (globalThis.crypto?.subtle) {
    digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  } else {
    const { digest: sha256 } = await import('lib0/hash/sha256');
    digest = sha256(bytes);
  }
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The size a photo is scaled to: the long edge at most `max`, never enlarged. */
export function scaledSize(width: number, height: number, max = MAX_EDGE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/jpeg', JPEG_QUALITY),
  );
}

/** Downscales and hashes a picked file (EXIF orientation applied by createImageBitmap). */
export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const { width, height } = scaledSize(bitmap.width, bitmap.height);
    const encoded = await encodeJpeg(bitmap, width, height);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const hash = await sha256Hex(bytes);
    return {
      ref: { hash, mime: 'image/jpeg', size: bytes.length, width, height },
      blob: new Blob([bytes], { type: 'image/jpeg' }),
    };
  } finally {
    bitmap.close();
  }
}
