/**
 * Bundle bytes: what each entry, and the two snippets a browser or edge app would really import, add to
 * an app's bundle. esbuild bundles for the browser with minification, tree shaking and code splitting
 * (as Vite and other bundlers do). node-forge enters a bundle only through the opt-in
 * `createForgeCryptoProvider()`, which loads it with `import()`, so it can only land in a lazy chunk. The
 * bytes counted are the entry chunk and every chunk it imports statically, gzipped together; node-forge
 * must not be among them.
 */
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type OutputFile } from 'esbuild';
import { CACHE_DIR, ENTRIES, ROOT } from '../entries';
import { atMost, type Table, type Target } from '../harness';
import type { RowOptions } from './options';

const SECTION = 'Bundle bytes (browser, min+gzip)';
/** A property name of node-forge's core object; minifiers keep property names. */
const FORGE_MARKER = 'usePureJavaScript';

export interface Measured {
  minBytes: number;
  gzipBytes: number;
  lazyGzipBytes: number;
  forgeInStatic: boolean;
}

/**
 * Bundle one entry file or one snippet (relative imports from the repo root) and measure it.
 *
 * @example
 * ```ts
 * const m = await measureBundle({ snippet: "export { verifyJwtGatewayCallback } from './src/jwt-gateway';" });
 * m.gzipBytes; // about 7,500
 * ```
 */
export async function measureBundle(input: { file: string } | { snippet: string }): Promise<Measured> {
  const result = await build({
    ...('file' in input
      ? { entryPoints: { entry: `${ROOT}${input.file}` } }
      : { stdin: { contents: input.snippet, resolveDir: ROOT, sourcefile: 'snippet.ts', loader: 'ts' } }),
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    treeShaking: true,
    write: false,
    metafile: true,
    outdir: `${CACHE_DIR}/bundle`,
    logLevel: 'error',
  });
  const metafile = result.metafile as Metafile;
  const byPath = new Map<string, OutputFile>(result.outputFiles.map((f) => [f.path, f]));
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.js'));
  // The snippet's or entry's own chunk: the one made from the stdin or the given file.
  const entryPoint = 'file' in input ? input.file : 'snippet.ts';
  const entry = outputs.find(([, o]) => o.entryPoint === entryPoint);
  if (!entry) {
    const seen = outputs.map(([, o]) => o.entryPoint).join(', ');
    throw new Error(`esbuild produced no chunk for ${entryPoint} (entry points: ${seen})`);
  }

  // Every chunk reachable through static imports is loaded with the entry; dynamic ones are lazy.
  const staticChunks = new Set<string>();
  const visit = (path: string) => {
    if (staticChunks.has(path)) return;
    staticChunks.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry[0]);
  const textOf = (path: string) => {
    const file = [...byPath.entries()].find(([p]) => p.endsWith(path))?.[1];
    return file?.text ?? '';
  };
  // Lazy: chunks the loaded code can still `import()`. esbuild also writes chunks for dynamic imports in
  // code that tree shaking removed; nothing can load those, so they are not counted.
  const lazyChunks = new Set<string>();
  const visitLazy = (path: string) => {
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.external || staticChunks.has(imported.path) || lazyChunks.has(imported.path)) continue;
      lazyChunks.add(imported.path);
      visitLazy(imported.path);
    }
  };
  for (const path of staticChunks) visitLazy(path);
  const staticText = [...staticChunks].map(textOf).join('\n');
  const lazyText = [...lazyChunks].map(textOf).join('\n');
  const forgeInputs = [...staticChunks].some((path) =>
    Object.keys(metafile.outputs[path]?.inputs ?? {}).some((i) => i.includes('node_modules/node-forge')),
  );
  return {
    minBytes: Buffer.byteLength(staticText),
    gzipBytes: gzipSync(staticText, { level: 9 }).length,
    lazyGzipBytes: lazyText === '' ? 0 : gzipSync(lazyText, { level: 9 }).length,
    forgeInStatic: forgeInputs || staticText.includes(FORGE_MARKER),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function report(table: Table, what: string, m: Measured, target?: Target): void {
  const forge = m.forgeInStatic ? 'node-forge PRESENT' : 'no node-forge';
  const lazy = m.lazyGzipBytes > 0 ? `; lazy chunks ${kb(m.lazyGzipBytes)} gz` : '';
  table.value(
    SECTION,
    what,
    m.gzipBytes / 1024,
    `${kb(m.gzipBytes)}`,
    `${kb(m.minBytes)} min; ${forge}${lazy}`,
    target,
  );
  if (target && m.forgeInStatic) {
    table.note(
      SECTION,
      `${what}: node-forge absent`,
      'node-forge is in the eagerly loaded bundle',
      'MISS',
      'absent',
    );
  }
}

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await bundleRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function bundleRows(table: Table, _options: RowOptions): Promise<void> {
  for (const [name, source] of Object.entries(ENTRIES)) {
    report(
      table,
      `thaipay/${name.replace(/\/?index$/, '') || '(root)'} (whole entry)`,
      await measureBundle({ file: source }),
    );
  }
  // The budgets of issue 13.
  const snippets: Array<[string, string, string, Target]> = [
    [
      'verifyJwtGatewayCallback alone',
      'src/jwt-gateway/index.ts',
      'verifyJwtGatewayCallback',
      atMost(5, 'KB'),
    ],
    ['verifyThbNotification alone', 'src/thb-collect/index.ts', 'verifyThbNotification', atMost(8, 'KB')],
    ['JwtGatewayClient alone', 'src/jwt-gateway/index.ts', 'JwtGatewayClient', atMost(17.5, 'KB')],
    ['ThbCollectClient alone', 'src/thb-collect/index.ts', 'ThbCollectClient', atMost(20.5, 'KB')],
  ];
  for (const [what, source, name, target] of snippets) {
    const from = `./${source.replace(/\/index\.ts$/, '')}`;
    report(table, what, await measureBundle({ snippet: `export { ${name} } from '${from}';` }), target);
  }
}
