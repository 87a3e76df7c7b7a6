import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Examples import 'thaipay/...' as users do; in tests that resolves to the source. */
const src = fileURLToPath(new URL('./src', import.meta.url));

/**
 * Suites that time real requests against tight limits (300 ms attempt timeouts, 3 s deadlines: the fault
 * matrix, and the deadline and secrets suites built on it). They run last and one at a time, so a CPU-heavy
 * file on the other core cannot push a healthy request past its timeout.
 */
export const TIMING_SENSITIVE = [
  'test/faults/fault-matrix.test.ts',
  'test/faults/deadline.test.ts',
  'test/secrets/secrets.test.ts',
];

/** Suites with their own scripts and configs. */
const OWN_SCRIPTS = [
  'test/browser/**', // test:browser (Chromium)
  'test/redis/**', // test:redis (redis-server)
  'test/postgres/**', // test:postgres (PostgreSQL)
  'test/packaging/lint.test.ts', // test:packaging (npm pack)
  'test/packaging/consumers.test.ts',
  'test/runtimes/child-runtimes.test.ts', // test:runtimes (Bun and Deno, installed by that script)
  'test/load/**', // test:load (slow by design)
  'node_modules/**',
];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^thaipay$/, replacement: `${src}/index.ts` },
      { find: /^thaipay\/(.*)$/, replacement: `${src}/$1` },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...OWN_SCRIPTS, ...TIMING_SENSITIVE],
          // One test file per core: vitest's default (cores - 1) leaves one of a 2-core machine's cores idle
          // while much of the suite waits on loopback servers and timers.
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          include: TIMING_SENSITIVE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
