/**
 * `npm test`: lint, both typechecks, the build and every vitest suite of the default run, in about the
 * time the slowest of them takes rather than their sum (2 cores):
 *
 * 1. lint, typecheck and the build (JavaScript only: the declarations are made by `npm run build` and
 *    checked by `npm run test:packaging`) side by side, and meanwhile vitest's `unit` and `isolated`
 *    projects, which test the sources and need no build;
 * 2. then vitest's `dist` project (the tests of the built package) and last the `timing` project (real
 *    timeouts, run alone so nothing else competes for the CPU).
 *
 * Quiet on success: one line per check and vitest's summaries. A failing check prints its whole output and
 * vitest prints every failure in full; the script exits non-zero if anything failed, after running the rest.
 * Arguments go to both vitest runs (`npm test -- test/core` runs the checks and the matching tests).
 *
 * Usage: `node scripts/test.mjs [vitest filters]` (package.json's "test"). Plain Node, so it runs wherever
 * npm does.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const require = createRequire(import.meta.url);
const vitestPackage = require.resolve('vitest/package.json');
const vitestBin = join(dirname(vitestPackage), require(vitestPackage).bin.vitest);

/** Each check is an npm script, so `npm run lint` and friends stay the single definition. */
const checks = [
  { name: 'lint', args: ['run', '--silent', 'lint'] },
  { name: 'typecheck', args: ['run', '--silent', 'typecheck'] },
  // tsup --silent: no per-file lines and no "Generated an empty chunk" warnings; errors still print.
  {
    name: 'build (JavaScript only)',
    args: ['run', '--silent', 'build', '--', '--silent'],
    env: { THAIPAY_BUILD_JS_ONLY: '1' },
  },
];

const filters = process.argv.slice(2);
/** vitest quiet on success: no per-file lines, and console output only from failed tests. */
const vitestArgs = [
  'run',
  '--reporter=minimal',
  '--silent=passed-only',
  // A filter may match no file of one of the two runs.
  ...(filters.length > 0 ? ['--passWithNoTests'] : []),
  ...filters,
];

/** Run one check, collecting its output instead of interleaving it with the others' and vitest's. */
function check({ name, args, env }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ name, ok: false, output: String(error), seconds: 0 }));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      resolve({ name, ok: code === 0, output, seconds });
    });
  });
}

/** Run vitest on some projects, its output straight to the terminal. Resolves true when it passed. */
function vitest(projects) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [vitestBin, ...vitestArgs, ...projects.flatMap((p) => ['--project', p])],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', (error) => {
      console.log(`FAIL vitest ${projects.join(', ')}: ${error}`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

const [results, sourcesPassed] = await Promise.all([
  Promise.all(checks.map(check)),
  vitest(['unit', 'isolated']),
]);
for (const { name, ok, output, seconds } of results) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)`);
  if (!ok) console.log(output.trimEnd());
}

const built = results.find((r) => r.name.startsWith('build'))?.ok;
// Without a build the dist tests would try one of their own (test/runtimes/dist.ts) and fail the same way.
if (!built) console.log('FAIL the tests of dist/ (vitest project "dist") did not run: the build failed');
const laterPassed = await vitest(built ? ['dist', 'timing'] : ['timing']);

if (!built || !sourcesPassed || !laterPassed || results.some((r) => !r.ok)) process.exit(1);
