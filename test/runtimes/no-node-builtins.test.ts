/**
 * Shared code uses no Node built-ins (the WinterTC rule, as stripe-node enforces it): every public entry
 * except `thaipay/testing` and `thaipay/redis` (Node-only by design), in both its ESM and CJS build, is
 * bundled for the browser with its real dependencies, and any import of a Node built-in, by `node:` name
 * or bare (`crypto`, `buffer`...), anywhere in that graph fails the test by name.
 *
 * biome's noNodejsModules covers the sources; this covers what ships, dependencies included.
 */
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, packageEntries, packageFile, REPO_ROOT } from './dist';

/** Entries that may use Node: the sandbox and the Redis store. */
const NODE_ONLY = new Set(['./testing', './redis']);

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function isBuiltin(path: string): boolean {
  return path.startsWith('node:') || builtins.has(path) || builtins.has(path.split('/')[0] ?? '');
}

/** Marks the recorder's own look-up, so it does not intercept itself. */
const LOOKUP = Symbol('lookup');

/**
 * Bundle `file` for the browser and list every Node built-in some module in its graph imports. A package
 * may map a built-in away for browsers (node-forge's `"browser": { "crypto": false }` guards a require it
 * only makes on Node): esbuild honours that, and so does this check.
 */
async function builtinImports(file: string): Promise<string[]> {
  const found: string[] = [];
  const recorder: Plugin = {
    name: 'record-node-builtins',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === LOOKUP || !isBuiltin(args.path)) return undefined;
        const resolved = await pluginBuild.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: LOOKUP,
        });
        if (resolved.errors.length === 0) return undefined;
        found.push(`${args.path} (imported by ${args.importer.replace(REPO_ROOT, '')})`);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: [file],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    outdir: 'out',
    write: false,
    logLevel: 'silent',
    plugins: [recorder],
  });
  return found;
}

const shared = packageEntries().filter(({ subpath }) => !NODE_ONLY.has(subpath));
const files = shared.flatMap(({ subpath, target }) => [
  { label: `${subpath} (ESM)`, file: target.import.default },
  { label: `${subpath} (CJS)`, file: target.require.default },
]);

beforeAll(() => ensureDist(), 180_000);

describe('shared entries bundle for the browser without Node built-ins', () => {
  it('covers every public entry but the Node-only ones', () => {
    expect(shared.map((e) => e.subpath).sort()).toEqual(
      // thaipay/postgres takes a pg pool by shape and thaipay/otel only @opentelemetry/api: neither needs Node.
      ['.', './banks', './jwt-gateway', './otel', './postgres', './qr', './thb-collect'].sort(),
    );
  });

  it.each(files)('$label', async ({ file }) => {
    expect(await builtinImports(packageFile(file))).toEqual([]);
  });

  it('the check itself catches a Node built-in (the Node-only sandbox entry imports several)', async () => {
    const found = await builtinImports(packageFile('./dist/testing/index.js'));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^(node:)?(http|crypto) /)]));
  });
});
