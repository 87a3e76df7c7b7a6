import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The packaging suite (`npm run test:packaging`): `npm pack`, publint, attw, consumer projects compiled
 * with tsc. Slower than a unit test (about 20 s), so the default run leaves the tarball checks out and
 * keeps only the size budgets (`size.test.ts`), which run there too.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/packaging/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
