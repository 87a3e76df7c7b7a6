/**
 * Installs the Bun and Deno the runtime matrix runs (`npm run test:runtimes`) into `.runtimes/` (ignored by
 * git), from the npm registry, only when the pinned versions are not already there. They are not dev
 * dependencies: together about 200 MB that `npm test` does not need.
 *
 * Usage: `node test/runtimes/install-runtimes.mjs` (prints where they are).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The versions the matrix is checked against; bump them here (child.ts reads the same directory). */
const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' };

const root = fileURLToPath(new URL('../../', import.meta.url));
const prefix = join(root, '.runtimes');
const bin = (name) => join(prefix, 'node_modules', '.bin', name);

/** The installed version of `name`, or undefined when it is missing or does not run. */
function installedVersion(name) {
  try {
    const out = execFileSync(bin(name), ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // bun prints "1.4.5"; deno prints "deno 2.9.6 (stable, ...)" and more lines.
    return out.match(/\d+\.\d+\.\d+/)?.[0];
  } catch {
    return undefined;
  }
}

const missing = Object.entries(RUNTIMES).filter(([name, version]) => installedVersion(name) !== version);
if (missing.length > 0) {
  // Both every time: an install without a package.json would drop the one not named.
  const specs = Object.entries(RUNTIMES).map(([name, version]) => `${name}@${version}`);
  console.log(
    `installing ${specs.join(' ')} into .runtimes/ (${missing.map(([n]) => n).join(', ')} missing)`,
  );
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    { cwd: root, stdio: 'inherit' },
  );
}
for (const [name, version] of Object.entries(RUNTIMES)) {
  const found = installedVersion(name);
  if (found !== version) {
    console.error(`${name} ${version} did not install into .runtimes/ (found ${found ?? 'nothing'})`);
    process.exit(1);
  }
}
console.log(`runtimes: bun ${RUNTIMES.bun}, deno ${RUNTIMES.deno} (.runtimes/node_modules/.bin)`);
