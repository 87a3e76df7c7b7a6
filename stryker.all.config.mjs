import focused from './stryker.config.mjs';

/**
 * `npm run mutation:all`: every file of src/core, src/jwt-gateway and src/thb-collect (money, time,
 * crypto providers, schemas too), reporting without a threshold; the 85% target is on the focused set of
 * stryker.config.mjs. Its own incremental file, so the two runs do not overwrite each other's results.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  ...focused,
  mutate: ['src/core/**/*.ts', 'src/jwt-gateway/**/*.ts', 'src/thb-collect/**/*.ts'],
  incrementalFile: 'reports/stryker-incremental-all.json',
  thresholds: { high: 90, low: 85, break: null },
  htmlReporter: { fileName: 'reports/mutation-all/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation-all/mutation.json' },
};
