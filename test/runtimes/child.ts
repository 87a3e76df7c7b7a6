/**
 * Running the checks in a child runtime (Node, Bun, Deno) from the Node test runner: `run-child.ts` and the
 * checks are bundled once into one plain `.mjs`, the child is started with the local server's URL, and its
 * one results line is read back.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { distIndexUrl, REPO_ROOT } from './dist';
import { RESULT_MARKER, type RuntimeReport } from './report';

/**
 * The runtimes' executables: not dev dependencies (200 MB nobody else needs) but installed into `.runtimes/`
 * by `npm run test:runtimes` (test/runtimes/install-runtimes.mjs, which pins their versions).
 */
export const BUN = join(REPO_ROOT, '.runtimes', 'node_modules', '.bin', 'bun');
export const DENO = join(REPO_ROOT, '.runtimes', 'node_modules', '.bin', 'deno');

let compiled: Promise<string> | undefined;

/**
 * The bundled runner, made once per test process.
 *
 * @example
 * ```ts
 * const runner = await childRunner(); // /tmp/thaipay-matrix-XXXX/run-child.mjs
 * ```
 */
export function childRunner(): Promise<string> {
  compiled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'thaipay-matrix-')), 'run-child.mjs');
    await build({
      entryPoints: [join(REPO_ROOT, 'test', 'runtimes', 'run-child.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      // Node, Bun and Deno all resolve node: specifiers (used only for the hide-node mode's set-up).
      external: ['node:*'],
      target: 'es2022',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return compiled;
}

/** One child run: its report, its stderr, and how long it took. */
export interface ChildRun extends RuntimeReport {
  stderr: string;
  ms: number;
}

export interface ChildOptions {
  mode?: 'default' | 'force-web' | 'hide-node';
  expectProvider?: 'node' | 'web' | 'forge';
  /** Killed after this long. Default 60 s. */
  timeoutMs?: number;
}

/**
 * Run the checks in `command` (with `argsBefore` before the runner path) against the server at `serverUrl`.
 *
 * @example
 * ```ts
 * const run = await runInChild(DENO, ['run', '--allow-read', '--allow-net=127.0.0.1'], server.url);
 * expect(run.results.filter((r) => !r.ok)).toEqual([]);
 * ```
 */
export async function runInChild(
  command: string,
  argsBefore: readonly string[],
  serverUrl: string,
  options: ChildOptions = {},
): Promise<ChildRun> {
  const runner = await childRunner();
  const args = [...argsBefore, runner, serverUrl, distIndexUrl(), options.mode ?? 'default'];
  if (options.expectProvider) args.push(options.expectProvider);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Run from the repository root: Deno finds package.json there and resolves dist's bare imports from
    // node_modules, as Node and Bun do.
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} not found: \`npm run test:runtimes\` installs Bun and Deno into .runtimes/`)
          : error,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (!line) {
        reject(
          new Error(
            `${command} ${args.join(' ')} exited with ${code ?? signal} and no results.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          ),
        );
        return;
      }
      const report = JSON.parse(line.slice(RESULT_MARKER.length)) as RuntimeReport;
      resolve({ ...report, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}
