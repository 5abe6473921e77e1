import { describe, expect, it } from 'vitest';
import { cacheControlOf, contentTypeOf, safeRelativePath } from './static.ts';

describe('static serving rules', () => {
  it('refuses traversal, backslashes, NUL and bad escapes', () => {
    for (const p of [
      '/../etc/passwd',
      '/a/../../b',
      '/%2e%2e/x',
      '/..%2f..%2fetc%2fpasswd',
      '/a\\..\\b',
      '/a%00b',
      '/%E0%A4%A',
    ]) {
      expect(safeRelativePath(p), p).toBeNull();
    }
    expect(safeRelativePath('/assets/app-1a2b.js')).toBe('/assets/app-1a2b.js');
    expect(safeRelativePath('/%E8%AD%A6.txt')).toBe('/警.txt');
  });

  it('caches hashed assets immutably and everything else with revalidation', () => {
    expect(cacheControlOf('/assets/index-abc123.js')).toBe('public, max-age=31536000, immutable');
    for (const p of ['/sw.js', '/registerSW.js', '/manifest.webmanifest', '/index.html', '/icon.png']) {
      expect(cacheControlOf(p)).toBe('no-cache');
    }
  });

  it('knows the content types of a PWA build', () => {
    expect(contentTypeOf('sw.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('manifest.webmanifest')).toBe('application/manifest+json; charset=utf-8');
    expect(contentTypeOf('x.woff2')).toBe('font/woff2');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
