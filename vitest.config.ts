import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Examples import 'thaipay/...' as users do; in tests that resolves to the source. */
const src = fileURLToPath(new URL('./src', import.meta.url));
const root = fileURLToPath(new URL('./', import.meta.url));

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

/**
 * Suites that read the built package (`dist/`, through test/runtimes/dist.ts). `npm test` runs them once its
 * build is done (scripts/test.mjs), and everything else while the checks still run.
 */
export const NEEDS_DIST = [
  'test/otel/bundle.test.ts',
  'test/packaging/error-names.test.ts',
  'test/packaging/size.test.ts',
  'test/runtimes/edge-env.test.ts',
  'test/runtimes/edge-vm.test.ts',
  'test/runtimes/no-node-builtins.test.ts',
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

/**
 * Files that replace modules or globals (vi.mock, vi.doMock, vi.resetModules, vi.stubGlobal, vi.hoisted):
 * they get a fresh module registry each, as vitest gives every file by default. Every other file shares its
 * worker's registry with the files before it (`isolate: false`), which saves re-importing vitest, zod,
 * fast-check and the sources for each of ~90 files: about a third of the suite's CPU time. Found by reading
 * the files, so a new test that mocks a module is isolated without anyone listing it here.
 */
const MOCKING = /\bvi\.(mock|doMock|resetModules|stubGlobal|hoisted)\(/;
export const NEEDS_ISOLATION = readdirSync(`${root}test`, { recursive: true, encoding: 'utf8' })
  .map((file) => `test/${file.replaceAll('\\', '/')}`)
  .filter((file) => file.endsWith('.test.ts') && MOCKING.test(readFileSync(`${root}${file}`, 'utf8')))
  .sort();

export default defineConfig({
  resolve: {
    alias: [
      { find: /^thaipay$/, replacement: `${src}/index.ts` },
      { find: /^thaipay\/(.*)$/, replacement: `${src}/$1` },
    ],
  },
  test: {
    // Generous: the sources' tests share 2 cores with lint, typecheck and the build in `npm test`, and a
    // CPU-bound property test took over 20 s on a loaded machine. It only bounds a hung test.
    testTimeout: 60_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...OWN_SCRIPTS, ...TIMING_SENSITIVE, ...NEEDS_DIST, ...NEEDS_ISOLATION],
          isolate: false,
          // One test file per core: vitest's default (cores - 1) leaves one of a 2-core machine's cores idle
          // while much of the suite waits on loopback servers and timers.
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: NEEDS_ISOLATION,
          exclude: [...OWN_SCRIPTS, ...TIMING_SENSITIVE, ...NEEDS_DIST],
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: { name: 'dist', include: NEEDS_DIST, isolate: false, maxWorkers: '100%' },
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
