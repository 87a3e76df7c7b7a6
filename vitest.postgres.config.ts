import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Examples import 'thaipay/...' as users do; in tests that resolves to the source. */
const src = fileURLToPath(new URL('./src', import.meta.url));

/**
 * The PostgreSQL suite (`npm run test:postgres`): runs against a real PostgreSQL server that
 * test/postgres/setup.ts starts on a loopback port, so it is kept out of the default run.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^thaipay$/, replacement: `${src}/index.ts` },
      { find: /^thaipay\/(.*)$/, replacement: `${src}/$1` },
    ],
  },
  test: {
    include: ['test/postgres/**/*.test.ts'],
    globalSetup: ['test/postgres/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
