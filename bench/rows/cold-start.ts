/**
 * Cold start: what importing each entry adds to a fresh Node process. Each run is a new `node` process
 * that imports one entry and reports how long the `import()` took; the parent times the whole process.
 * The ratio is the process time against a process importing an empty module (what a serverless cold
 * start pays); the import time alone is given for information.
 *
 * The built package (dist/) is measured when it exists: that is what users import. Without it the
 * entries are built here the way tsup builds them (esbuild, ESM, code splitting, dependencies external)
 * into node_modules/.cache, since importing TypeScript through a loader would measure the loader.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CACHE_DIR, ENTRIES, ROOT } from '../entries';
import { median, type Table } from '../harness';
import type { RowOptions } from './options';

const SECTION = 'Cold start (import, fresh process)';

interface Sample {
  processMs: number;
  importMs: number;
}

function timeImport(file: string): Sample {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const processMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr.slice(-500)}`);
  return { processMs, importMs: Number(result.stdout) };
}

/** The latest modification time of any file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

/** Where each entry's built ESM file is: dist/ when built, else a tsup-like build made here. */
async function builtEntries(
  entries: Array<[string, string]>,
): Promise<{ files: Map<string, string>; how: string }> {
  const files = new Map<string, string>();
  if (entries.every(([name]) => existsSync(`${ROOT}dist/${name}.js`))) {
    for (const [name] of entries) files.set(name, `${ROOT}dist/${name}.js`);
    const builtAt = Math.min(...entries.map(([name]) => statSync(`${ROOT}dist/${name}.js`).mtimeMs));
    const stale = newestSource(`${ROOT}src`) > builtAt;
    return { files, how: stale ? 'dist/ (OLDER than src/: run npm run build)' : 'dist/' };
  }
  const outdir = `${CACHE_DIR}/cold-start`;
  await build({
    entryPoints: Object.fromEntries(entries.map(([name, source]) => [name, `${ROOT}${source}`])),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    splitting: true,
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  for (const [name] of entries) files.set(name, `${outdir}/${name}.mjs`);
  return { files, how: 'no dist/: tsup-like esbuild build' };
}

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await coldStartRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function coldStartRows(table: Table, options: RowOptions): Promise<void> {
  const { files, how } = await builtEntries(Object.entries(ENTRIES));
  mkdirSync(CACHE_DIR, { recursive: true });
  const empty = `${CACHE_DIR}/empty.mjs`;
  writeFileSync(empty, 'export {};\n');

  const targets: Array<[string, string]> = [['(empty module)', empty], ...files];
  const samples = new Map<string, Sample[]>(targets.map(([name]) => [name, []]));
  const runs = options.quick ? 1 : 9;
  timeImport(empty); // the first process start of a run warms the OS file cache for all that follow
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? targets : [...targets].reverse();
    for (const [name, file] of order) samples.get(name)!.push(timeImport(file));
  }
  const emptyProcess = median(samples.get('(empty module)')!.map((s) => s.processMs));
  const emptyImport = median(samples.get('(empty module)')!.map((s) => s.importMs));
  for (const [name] of files) {
    const processMs = median(samples.get(name)!.map((s) => s.processMs));
    const importMs = median(samples.get(name)!.map((s) => s.importMs));
    const ratio = processMs / emptyProcess;
    table.value(
      SECTION,
      `thaipay/${name.replace(/\/?index$/, '') || '(root)'} vs empty module`,
      ratio,
      `${ratio.toFixed(2)}x`,
      `process ${processMs.toFixed(0)} vs ${emptyProcess.toFixed(0)} ms; import() ${importMs.toFixed(1)} vs ${emptyImport.toFixed(1)} ms; ${how}`,
    );
  }
}
