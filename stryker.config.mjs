/**
 * Mutation testing (`npm run mutation`, see MUTATION.md): StrykerJS plants one small bug at a time in the
 * modules below and checks that some test fails. This config is the focused set the target applies to
 * (signing, webhooks, safe-create, transport, envelope and error/result mapping): the run fails under 85%.
 * `npm run mutation:all` (stryker.all.config.mjs) covers every file of src/core, src/jwt-gateway and
 * src/thb-collect and only reports.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/core/canonical.ts',
    'src/core/errors.ts',
    'src/core/redact.ts',
    'src/core/safe-create.ts',
    'src/core/transport.ts',
    'src/core/webhooks.ts',
    'src/jwt-gateway/client.ts',
    'src/jwt-gateway/errors.ts',
    'src/jwt-gateway/results.ts',
    'src/jwt-gateway/signing.ts',
    'src/jwt-gateway/webhooks.ts',
    'src/thb-collect/client.ts',
    'src/thb-collect/envelope.ts',
    'src/thb-collect/errors.ts',
    'src/thb-collect/results.ts',
    'src/thb-collect/signing.ts',
    'src/thb-collect/webhooks.ts',
  ],
  // Each mutant runs only the tests that covered its code in the initial run.
  coverageAnalysis: 'perTest',
  // The machine this was sized for has 2 cores.
  concurrency: 2,
  // Reuse the previous run's results for code and tests that did not change (reports/ is ignored by git).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, maxTestsToLog: 0 },
  // Only what the tests need goes to the sandbox copy.
  ignorePatterns: ['dist', 'docs', 'coverage', '.tmp', '.runtimes', '.thaipay', 'bench', '*.tgz'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
