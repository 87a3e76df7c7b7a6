import { defineConfig } from 'vitest/config';

/**
 * The browser suite (`npm run test:browser`): drives a real headless Chromium (test/browser/chromium.ts),
 * so it is kept out of the default run. Screenshots go to `.tmp/browser/` (ignored by git).
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time is plenty, and keeps the run light on small CI machines.
    fileParallelism: false,
  },
});
