import focused from './stryker.config.mjs';

/**
 * One module (or a few) at a time, beside another run: `MUTATION_RUN=envelope npx stryker run
 * stryker.module.config.mjs --mutate src/thb-collect/envelope.ts`. Each name gets its own incremental file,
 * sandbox and reports under reports/, so two runs at once never overwrite or delete each other's files.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const name = process.env.MUTATION_RUN ?? 'module';

export default {
  ...focused,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  tempDirName: `reports/.stryker-tmp-${name}`,
  ignorePatterns: [...focused.ignorePatterns, '/reports', '/.stryker-tmp'],
  htmlReporter: { fileName: `reports/mutation-${name}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation-${name}/mutation.json` },
};
