/**
 * Where the built package is, and building it when it is missing. The matrix, the bundle checks and the
 * size budgets test `dist/` (what users install), not the sources.
 *
 * `npm test` should build first (see the lead's `pretest`); this only covers a run of one test file on a
 * fresh checkout. Test files run in parallel, so the build is guarded by a lock directory: the first file
 * builds, the others wait for it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (where package.json is). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_DIR = join(REPO_ROOT, 'dist');

interface ExportTarget {
  import: { types: string; default: string };
  require: { types: string; default: string };
}

/** The package's subpath exports that carry code (everything but `./package.json`). */
export function packageEntries(): { subpath: string; target: ExportTarget }[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, ExportTarget | string>;
  };
  return Object.entries(pkg.exports)
    .filter((entry): entry is [string, ExportTarget] => typeof entry[1] === 'object')
    .map(([subpath, target]) => ({ subpath, target }));
}

/** Absolute path of a file inside the package, e.g. `./dist/index.js`. */
export function packageFile(relative: string): string {
  return join(REPO_ROOT, relative);
}

/** `file:` URL of the built ESM root entry, for `import()` in any runtime. */
export function distIndexUrl(): string {
  return pathToFileURL(join(DIST_DIR, 'index.js')).href;
}

function distComplete(): boolean {
  return packageEntries().every(
    ({ target }) =>
      existsSync(packageFile(target.import.default)) && existsSync(packageFile(target.require.default)),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Make sure every export target exists in `dist/`, running `npm run build` when one is missing.
 *
 * @example
 * ```ts
 * beforeAll(() => ensureDist(), 120_000);
 * ```
 */
export async function ensureDist(): Promise<void> {
  if (distComplete()) return;
  const lock = join(REPO_ROOT, '.tmp', 'dist-build.lock');
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  for (let waited = 0; waited < 180_000; waited += 250) {
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building: wait for it, then use its result.
      await sleep(250);
      if (distComplete()) return;
      continue;
    }
    try {
      if (!distComplete()) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
    } finally {
      rmdirSync(lock);
    }
    if (!distComplete()) throw new Error('npm run build finished but dist/ still lacks an export target');
    return;
  }
  throw new Error(`timed out waiting for another build of dist/ (remove ${lock} if no build is running)`);
}
