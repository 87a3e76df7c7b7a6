/**
 * The checks `npm test` runs before vitest: lint, both typechecks and the build, side by side (each is
 * mostly one thread; together they keep both cores of a small machine busy). Quiet on success: one line per
 * check. A failing check prints its whole output, and the script exits non-zero once all have finished.
 *
 * Usage: `node scripts/checks.mjs` (from package.json's "test"). Plain Node, so it runs wherever npm does.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Each check is an npm script, so `npm run lint` and friends stay the single definition. */
const checks = [
  { name: 'lint', args: ['run', '--silent', 'lint'] },
  { name: 'typecheck', args: ['run', '--silent', 'typecheck'] },
  // tsup --silent: no per-file lines and no "Generated an empty chunk" warnings; errors still print.
  { name: 'build', args: ['run', '--silent', 'build', '--', '--silent'] },
];

/** Run one check, collecting its output instead of interleaving it with the others'. */
function run({ name, args }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, args, {
      cwd: root,
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

const results = await Promise.all(checks.map(run));
for (const { name, ok, output, seconds } of results) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)`);
  if (!ok) console.log(output.trimEnd());
}
if (results.some((r) => !r.ok)) process.exit(1);
