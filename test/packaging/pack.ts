/**
 * The package as npm publishes it: `npm pack` of the built repository into a temporary directory, and a
 * consumer project with that tarball installed.
 *
 * The consumer is installed with `npm install <tarball> --offline`: the runtime dependencies come from
 * npm's cache, which installing this repository filled. When the cache cannot answer (a fresh machine
 * where `npm ci` stored the tarballs but not the registry metadata an install of ranges needs), the
 * tarball is unpacked into node_modules/thaipay by hand and each dependency is linked from this
 * repository's node_modules: the same files, no network.
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../runtimes/dist';

const run = promisify(execFile);

/** The packed tarball and the files npm put in it. */
export interface PackedPackage {
  tarball: string;
  files: string[];
}

let packing: Promise<PackedPackage> | undefined;

/**
 * `npm pack` the repository (which must be built) once per test process.
 *
 * @example
 * ```ts
 * const { tarball, files } = await packPackage();
 * ```
 */
export function packPackage(): Promise<PackedPackage> {
  packing ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thaipay-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
    return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path) };
  })();
  return packing;
}

/** A consumer project with the tarball installed, and how it got there. */
export interface Consumer {
  dir: string;
  install: 'npm install --offline' | 'unpacked by hand';
}

/** Packages a consumer needs besides thaipay's own dependencies: Node's types for the TypeScript checks. */
const CONSUMER_EXTRAS = ['@types/node', 'undici-types'];

async function installByHand(dir: string, tarball: string): Promise<void> {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const unpack = mkdtempSync(join(tmpdir(), 'thaipay-unpack-'));
  await run('tar', ['-xzf', tarball, '-C', unpack]);
  renameSync(join(unpack, 'package'), join(modules, 'thaipay'));
  const pkg = JSON.parse(readFileSync(join(modules, 'thaipay', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...CONSUMER_EXTRAS]) {
    const target = join(modules, name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), target, 'dir');
  }
}

/**
 * Make a consumer project (`"type": "module"`, so `.mjs`/`.mts` are ESM and `.cjs`/`.cts` CommonJS) with
 * the tarball installed. `THAIPAY_PACK_BY_HAND=1` skips npm and unpacks by hand.
 *
 * @example
 * ```ts
 * const consumer = await createConsumer((await packPackage()).tarball);
 * ```
 */
export async function createConsumer(tarball: string): Promise<Consumer> {
  const dir = mkdtempSync(join(tmpdir(), 'thaipay-consumer-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'thaipay-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  if (process.env.THAIPAY_PACK_BY_HAND !== '1') {
    try {
      await run(
        'npm',
        ['install', tarball, '@types/node@20', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'],
        { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
      );
      return { dir, install: 'npm install --offline' };
    } catch {
      // Not everything is in npm's cache: start again by hand.
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    }
  }
  await installByHand(dir, tarball);
  return { dir, install: 'unpacked by hand' };
}
