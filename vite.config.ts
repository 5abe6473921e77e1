import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { musterIcons } from './web/build/iconsPlugin.ts';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const outDir = fileURLToPath(new URL('./web/dist', import.meta.url));
/** The relay `npm run dev` starts beside the dev server (scripts/dev.mjs). */
const relay = `http://localhost:${process.env['MUSTER_DEV_RELAY_PORT'] ?? '8787'}`;

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  root: webRoot,
  define: { __MUSTER_VERSION__: JSON.stringify(version) },
  publicDir: 'public',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: relay, changeOrigin: true },
      '/sync': { target: relay, ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: relay, changeOrigin: true },
      '/sync': { target: relay, ws: true, changeOrigin: true },
    },
  },
  plugins: [
    svelte(),
    musterIcons({ source: 'icon.svg' }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icon.svg', 'icons/*.png'],
      manifest: {
        id: '/',
        name: '警务协同 Muster',
        short_name: '警务协同',
        description: '离线优先的警务协同：发起协同、记录现场、岗位签收。',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#1d3a6e',
        background_color: '#f3f5f8',
        categories: ['productivity', 'utilities'],
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,woff,woff2}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
        cleanupOutdatedCaches: true,
        // NOTIF-3: the notificationclick handler, a same-origin file from web/public (CSP script-src 'self').
        importScripts: ['notification-sw.js'],
        clientsClaim: false,
        skipWaiting: false,
        sourcemap: false,
      },
      devOptions: { enabled: false },
    }),
  ],
});
