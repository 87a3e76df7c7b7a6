import { defineConfig } from 'vitest/config';
import base, { TIMING_SENSITIVE } from './vitest.config';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutation`, stryker.config.mjs): the in-process
 * unit, fault, property, sandbox and example suites. Left out: suites that test the built `dist/` or a
 * bundle of the sources (runtimes, packaging, docs, crypto/bundle: instrumented code would fail them for
 * nothing), the ones that run the code in child processes (CLI, demo), where a mutant is never active, and
 * the timing-based fault suites (below).
 */
const FULL = [
  'test/core/**/*.test.ts',
  'test/jwt-gateway/**/*.test.ts',
  'test/thb-collect/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/properties/**/*.test.ts',
  'test/secrets/**/*.test.ts',
  // The only tests of some transport and webhook guards (TLS, redirects, body limits, leaks).
  'test/security/**/*.test.ts',
  // Tests written against surviving mutants (MUTATION.md).
  'test/mutation/**/*.test.ts',
  'test/testing/**/*.test.ts',
  'test/examples/**/*.test.ts',
];

const UNIT = [
  'test/core/*.test.ts',
  'test/jwt-gateway/*.test.ts',
  'test/thb-collect/*.test.ts',
  'test/mutation/**/*.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One set of files (Stryker runs them its own way), not the default run's projects.
    projects: undefined,
    // MUTATION_TESTS=unit: only the fast in-process unit suites of the three directories and the
    // mutation tests, for a quick per-module run (a lower bound: the full set can only kill more).
    include: process.env.MUTATION_TESTS === 'unit' ? UNIT : FULL,
    exclude: [
      'test/examples/demo.test.ts',
      'test/core/crypto/bundle.test.ts',
      // Runs the CLI in a child process, where a mutant is never active.
      'test/security/sandbox.test.ts',
      // Reads src as text to list its error codes; Stryker rewrites every literal of the sources it copies.
      'test/core/error-codes.test.ts',
      // Timing-based: 300 ms attempt timeouts and 3 s deadlines. Instrumented code with two runners on two
      // cores misses them whatever the mutant, and a test failing without a mutant stops Stryker.
      ...TIMING_SENSITIVE,
      'node_modules/**',
    ],
  },
});
