import { defineConfig } from 'vitest/config';

/**
 * The load suite (`npm run test:load`): thousands of calls against the sandbox and through the webhook
 * handlers, with throughput and heap figures printed (never asserted). About 15 s on 2 cores, so it is kept
 * out of the default run.
 */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
