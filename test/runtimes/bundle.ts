/**
 * The checks and the built package as one classic script, for runtimes that cannot import files from disk:
 * an edge VM and a browser page. esbuild bundles `dist/index.js` (ESM, as a user's bundler would take it)
 * with its dependencies and `checks.ts`; the script defines one global function that runs the checks.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CheckOptions } from './checks';
import { DIST_DIR, REPO_ROOT } from './dist';
import type { RuntimeReport } from './report';

/** The global the script defines: fetch the vectors from `serverUrl`, run the checks, report as JSON. */
export const MATRIX_GLOBAL = '__thaipayMatrix';

/** Signature of the function behind {@link MATRIX_GLOBAL}; it resolves to a JSON {@link RuntimeReport}. */
export type MatrixFunction = (serverUrl: string, runtime: string, options?: CheckOptions) => Promise<string>;

export interface BundleOptions {
  /** Export conditions, as the target's bundler sets them (edge: `edge-light`, `worker`, `browser`). */
  conditions: string[];
}

/**
 * Bundle the matrix into one IIFE script (no `import`, no `require`), minified like a production build.
 *
 * @example
 * ```ts
 * const script = await bundleMatrix({ conditions: ['browser'] });
 * vm.evaluate(script);
 * ```
 */
export async function bundleMatrix(options: BundleOptions): Promise<string> {
  const entry = [
    `import * as api from ${JSON.stringify(join(DIST_DIR, 'index.js'))};`,
    `import { runChecks } from ${JSON.stringify(join(REPO_ROOT, 'test', 'runtimes', 'checks.ts'))};`,
    `globalThis[${JSON.stringify(MATRIX_GLOBAL)}] = async (serverUrl, runtime, options) => {`,
    '  const vectors = await (await fetch(serverUrl + "/vectors.json")).json();',
    '  const results = await runChecks(api, vectors, serverUrl, options);',
    '  return JSON.stringify({ runtime, results });',
    '};',
  ].join('\n');
  const result = await build({
    stdin: { contents: entry, resolveDir: REPO_ROOT, loader: 'js', sourcefile: 'matrix-entry.js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    conditions: options.conditions,
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const script = result.outputFiles[0];
  if (!script) throw new Error('esbuild produced no output');
  return script.text;
}

/**
 * Read the JSON a {@link MatrixFunction} resolved to.
 *
 * @example
 * ```ts
 * const report = parseReport(await page.evaluate(...));
 * ```
 */
export function parseReport(json: string): RuntimeReport {
  return JSON.parse(json) as RuntimeReport;
}
