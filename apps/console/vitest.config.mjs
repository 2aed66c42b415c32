// The console's pure tests. The root vitest config's `unit` project only collects packages/*, so
// until it also collects apps/*, run these with `npx vitest run -c apps/console/vitest.config.mjs`.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@sightline/source', ...defaultServerConditions];

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { name: 'console', include: ['src/**/*.test.ts'], environment: 'node' },
});
