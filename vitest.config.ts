import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; integration and browser tests live in tests/. Browser tests need the built
// app (`npm run build`), which `npm test` does first.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'sync-server/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'tests/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
