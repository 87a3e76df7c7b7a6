import { defineConfig } from 'vitest/config';

/**
 * The runtime matrix (`npm run test:runtimes`): the built package in child processes of Node, Bun and Deno.
 * Bun and Deno are not dev dependencies; the script installs them into `.runtimes/` first
 * (test/runtimes/install-runtimes.mjs), so this suite is kept out of the default run.
 */
export default defineConfig({
  test: {
    include: ['test/runtimes/child-runtimes.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
