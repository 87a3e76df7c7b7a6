/** The public entries the cold-start and bundle rows measure, and where their builds go. */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Entry name (as in tsup.config.ts and dist/) → source file. */
export const ENTRIES: Record<string, string> = {
  'jwt-gateway/index': 'src/jwt-gateway/index.ts',
  'thb-collect/index': 'src/thb-collect/index.ts',
  index: 'src/index.ts',
  'qr/index': 'src/qr/index.ts',
  'banks/index': 'src/banks/index.ts',
};

/** Scratch space for builds made by the bench (inside node_modules so bare imports still resolve). */
export const CACHE_DIR = `${ROOT}node_modules/.cache/thaipay-bench`;
