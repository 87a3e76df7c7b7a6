import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

/** Every .ts file under `dir`, sorted: the same entry order on every build gives the same chunks. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** One build, every public entry, ESM + CJS with types for both. */
export default defineConfig({
  // Every module is its own entry: the output keeps the source's module graph, so a bundler importing
  // one function from an entry tree-shakes down to the modules it needs (tsup would otherwise merge
  // unrelated modules into shared chunks and defeat the size budgets).
  entry: sourceFiles('src'),
  format: ['esm', 'cjs'],
  // THAIPAY_BUILD_JS_ONLY=1 (set by scripts/test.mjs for `npm test`): the JavaScript alone, a second of
  // esbuild, for the tests of dist/. The declarations take rollup and a whole TypeScript program (~28 s of
  // CPU); `npm run build` makes them, and `npm run test:packaging` (which tests them) builds in full first.
  dts:
    process.env.THAIPAY_BUILD_JS_ONLY === '1'
      ? false
      : {
          entry: {
            index: 'src/index.ts',
            'jwt-gateway/index': 'src/jwt-gateway/index.ts',
            'thb-collect/index': 'src/thb-collect/index.ts',
            'banks/index': 'src/banks/index.ts',
            'qr/index': 'src/qr/index.ts',
            'testing/index': 'src/testing/index.ts',
            'redis/index': 'src/redis/index.ts',
            'postgres/index': 'src/postgres/index.ts',
            'otel/index': 'src/otel/index.ts',
          },
        },
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  sourcemap: true,
  clean: true,
  external: ['node-forge', 'zod', 'uqr', 'promptparse', 'redis', 'ioredis', 'pg', '@opentelemetry/api'],
});
