import { defineConfig } from 'tsup';

/** One build, every public entry, ESM + CJS with types for both. */
export default defineConfig({
  // Every module is its own entry: the output keeps the source's module graph, so a bundler importing
  // one function from an entry tree-shakes down to the modules it needs (tsup would otherwise merge
  // unrelated modules into shared chunks and defeat the size budgets).
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  dts: {
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
