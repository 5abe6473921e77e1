/** Vite plugin: PNG icons rendered from the one SVG source, emitted at build and served in dev. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { iconPng, type RenderOptions } from './rasterize.ts';

export const ICONS: Record<string, RenderOptions> = {
  'icons/icon-192.png': { size: 192 },
  'icons/icon-512.png': { size: 512 },
  'icons/maskable-512.png': { size: 512, maskable: true },
  'icons/apple-touch-icon-180.png': { size: 180, maskable: true },
};

export function musterIcons({ source }: { source: string }): Plugin {
  let publicDir = '';
  const cache = new Map<string, Buffer>();
  const png = (name: string): Buffer => {
    let b = cache.get(name);
    if (!b) {
      b = iconPng(readFileSync(join(publicDir, source), 'utf8'), ICONS[name]!);
      cache.set(name, b);
    }
    return b;
  };
  return {
    name: 'muster-icons',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle() {
      for (const fileName of Object.keys(ICONS)) this.emitFile({ type: 'asset', fileName, source: png(fileName) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
        if (!(name in ICONS)) return next();
        res.setHeader('Content-Type', 'image/png');
        res.end(png(name));
      });
    },
  };
}
