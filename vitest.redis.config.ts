import { defineConfig } from 'vitest/config';

/**
 * The Redis suite (`npm run test:redis`): runs against a real redis-server that test/redis/setup.ts
 * starts on a loopback port, so it is kept out of the default run.
 */
export default defineConfig({
  test: {
    include: ['test/redis/**/*.test.ts'],
    globalSetup: ['test/redis/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
