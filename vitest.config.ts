import { defineConfig } from 'vitest/config';

/**
 * One vitest run, two projects. `unit` holds pure and in-process tests (real server on port 0,
 * real sockets, real SQLite); `e2e` drives real Chromium and runs one file at a time, because the
 * machine has two cores and each file starts its own browser and server.
 *
 * Tests resolve every `@sightline/*` package to its TypeScript source through the
 * `@sightline/source` export condition, so no build is needed to test a package. The browser
 * bundles the e2e tests load are built by `npm run build`.
 */
// Vite's own server defaults are kept after ours: setting `conditions` replaces them.
const conditions = ['@sightline/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
