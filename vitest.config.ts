import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Examples import 'thaipay/...' as users do; in tests that resolves to the source. */
const src = fileURLToPath(new URL('./src', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^thaipay$/, replacement: `${src}/index.ts` },
      { find: /^thaipay\/(.*)$/, replacement: `${src}/$1` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Suites with their own scripts: browser (Chromium), redis (redis-server), packaging (npm pack),
    // runtimes (Bun and Deno, installed by that script), load (slow by design).
    exclude: [
      'test/browser/**',
      'test/redis/**',
      'test/packaging/lint.test.ts',
      'test/packaging/consumers.test.ts',
      'test/runtimes/child-runtimes.test.ts',
      'test/load/**',
      'node_modules/**',
    ],
    // One test file per core: vitest's default (cores - 1) leaves one of a 2-core machine's cores idle while
    // much of the suite waits on loopback servers and timers.
    maxWorkers: '100%',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
