/** The app version from the root package.json (vite.config.ts `define`). */
declare const __MUSTER_VERSION__: string;
